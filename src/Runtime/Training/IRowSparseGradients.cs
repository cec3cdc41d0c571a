namespace GpuTrain.Runtime.Training;

/// <summary>
/// A model whose loss leaves its gradients row-sparse (the rows its batch touched, in the factored
/// form its loss computed them), so that an update touches only those rows:
/// <see cref="Optimizers.RowSparseSgd"/> applies them.
/// </summary>
public interface IRowSparseGradients
{
    /// <summary>The last step's gradients.</summary>
    RowSparseGradients RowSparseGradients { get; }
}
