using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;
using OptimizerKernels = GpuTrain.Kernels.Optimizers;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>Plain gradient descent (TF's GradientDescentOptimizer): no slots.</summary>
public sealed class Sgd(LearningRateSchedule learningRate) : Optimizer(learningRate)
{
    /// <inheritdoc />
    protected override void CreateState(Device device, ArenaLayout layout) { }

    /// <inheritdoc />
    protected override void Update(Device device, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate)
    {
        if (device.RunsKernelsOnHost)
        {
            HostSgd.Update(parameters, gradients, learningRate);
            return;
        }
        var kernel = device.Kernel(KernelKeys.Sgd, acc =>
            acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, float>(OptimizerKernels.Sgd));
        int threads = GridStride.Threads(device, parameters.Length);
        kernel(threads, threads, parameters, gradients, learningRate);
    }
}
