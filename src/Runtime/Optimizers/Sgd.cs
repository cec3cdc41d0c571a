using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>Plain gradient descent (TF's GradientDescentOptimizer): no slots.</summary>
public sealed class Sgd(LearningRateSchedule learningRate) : Optimizer(learningRate)
{
    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout) { }

    /// <inheritdoc />
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate)
        => OptimizerOps.Sgd(device, parameters, gradients, learningRate);
}
