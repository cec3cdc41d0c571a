using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// Plain gradient descent on the rows a step touched (TF's GradientDescentOptimizer on IndexedSlices):
/// for a model whose loss leaves row-sparse gradients (<see cref="IRowSparseGradients"/>), such as the
/// sampled NCE, so a step never touches the untouched rows of a large table. No slots.
/// </summary>
public sealed class RowSparseSgd(LearningRateSchedule learningRate) : Optimizer(learningRate)
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The model's gradients are not row-sparse.</exception>
    public override void Apply(ITrainable model, long step)
    {
        var gradients = (model as IRowSparseGradients)?.RowSparseGradients
            ?? throw new ArgumentException($"{model.GetType().Name} has dense gradients; use Sgd", nameof(model));
        var profile = gradients.Profile;
        long start = profile?.Start(gradients.Device) ?? 0;
        NceOps.ApplySgd(gradients.Device, gradients.Applied, LearningRate.At(step));
        if (profile is null) return;
        profile.Stop(gradients.Device, "sgd", start);
        profile.Steps++;
    }

    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout) { }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: a dense gradient arena is what this optimizer exists to avoid.</exception>
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate) =>
        throw new NotSupportedException("row-sparse SGD updates from a model's row-sparse gradients, not a dense gradient arena");
}
