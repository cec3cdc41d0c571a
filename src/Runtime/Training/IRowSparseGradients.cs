namespace GpuTrain.Runtime.Training;

/// <summary>
/// A model whose loss leaves its gradients row-sparse (the rows its batch touched, in the factored
/// form its loss computed them), so that an update touches only those rows:
/// <see cref="Optimizers.RowSparseSgd"/> applies it.
/// </summary>
public interface IRowSparseGradients
{
    /// <summary>Subtracts <paramref name="learningRate"/> times the last step's gradients from the touched rows.</summary>
    void ApplySgd(float learningRate);
}
