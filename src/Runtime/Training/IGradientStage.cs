namespace GpuTrain.Runtime.Training;

/// <summary>
/// Work on the gradients between the backward pass and the optimizer update, in the order the
/// <see cref="Trainer{TBatch}"/> lists them: the seam where a data-parallel allreduce of the gradient
/// arena goes (first), and where global-norm clipping sits (<see cref="Optimizers.GlobalNormClipping"/>).
/// </summary>
public interface IGradientStage
{
    /// <summary>Transforms <paramref name="model"/>'s gradients of step <paramref name="step"/> in place.</summary>
    void Process(ITrainable model, long step);
}
