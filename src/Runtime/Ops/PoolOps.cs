using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Max pooling over NHWC (<see cref="PoolKernels"/>), and the one place that chooses where it runs:
/// the kernels on a device, <see cref="HostPool"/> (same results bit for bit) on host threads.
/// </summary>
internal static class PoolOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, WindowGeometry> ForwardKernel =
        PoolKernels.MaxForward;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, WindowGeometry> BackwardKernel =
        PoolKernels.MaxBackward;

    /// <summary>
    /// <c>output[p, c]</c> = the window maximum, <paramref name="argmax"/>[p, c] = its flat input index
    /// (first on ties; keep it for <see cref="MaxBackward"/>).
    /// </summary>
    public static void MaxForward(Device device, ArrayView<float> input, ArrayView<float> output, ArrayView<int> argmax, WindowGeometry g)
    {
        ViewChecks.Length(input, (long)g.InPixels * g.Channels, nameof(input));
        ViewChecks.Length(output, (long)g.OutPixels * g.Channels, nameof(output));
        ViewChecks.SameLength(output, argmax, nameof(output), nameof(argmax));
        if (g.OutPixels == 0) return;
        if (device.RunsKernelsOnHost) HostPool.MaxForward(input, output, argmax, g);
        else device.Kernel(ForwardKernel, a => a.LoadAutoGroupedStreamKernel(ForwardKernel))(g.OutPixels, input, output, argmax, g);
    }

    /// <summary><paramref name="inputGrad"/>[i] = the sum of dY over the outputs whose argmax is i (overwritten).</summary>
    public static void MaxBackward(Device device, ArrayView<float> outputGrad, ArrayView<int> argmax, ArrayView<float> inputGrad, WindowGeometry g)
    {
        ViewChecks.Length(outputGrad, (long)g.OutPixels * g.Channels, nameof(outputGrad));
        ViewChecks.SameLength(outputGrad, argmax, nameof(outputGrad), nameof(argmax));
        ViewChecks.Length(inputGrad, (long)g.InPixels * g.Channels, nameof(inputGrad));
        if (g.InPixels == 0) return;
        if (device.RunsKernelsOnHost) HostPool.MaxBackward(outputGrad, argmax, inputGrad, g, default);
        else device.Kernel(BackwardKernel, a => a.LoadAutoGroupedStreamKernel(BackwardKernel))(g.InPixels, outputGrad, argmax, inputGrad, g);
    }

    /// <summary>
    /// <see cref="MaxBackward"/> where the pool's <paramref name="input"/> is a ReLU's output, then
    /// on through that ReLU (<see cref="ActivationOps.ReluGrad"/> with the ReLU's output as its input:
    /// max(x, 0) &gt; 0 exactly where x &gt; 0): <paramref name="inputGrad"/> is the ReLU's input
    /// gradient. On host threads in the same pass, masked by the window's maximum
    /// (<paramref name="output"/>), which is the input value at its argmax; the same bits (the input
    /// is not read there: a convolution that pooled as it went never wrote it).
    /// </summary>
    public static void MaxBackwardThroughRelu(Device device, ArrayView<float> input, ArrayView<float> output, ArrayView<float> outputGrad,
        ArrayView<int> argmax, ArrayView<float> inputGrad, WindowGeometry g)
    {
        ViewChecks.SameLength(output, outputGrad, nameof(output), nameof(outputGrad));
        if (!device.RunsKernelsOnHost)
        {
            ViewChecks.SameLength(input, inputGrad, nameof(input), nameof(inputGrad));
            MaxBackward(device, outputGrad, argmax, inputGrad, g);
            ActivationOps.ReluGrad(device, input, inputGrad, inputGrad);
            return;
        }
        ViewChecks.Length(outputGrad, (long)g.OutPixels * g.Channels, nameof(outputGrad));
        ViewChecks.SameLength(outputGrad, argmax, nameof(outputGrad), nameof(argmax));
        ViewChecks.Length(inputGrad, (long)g.InPixels * g.Channels, nameof(inputGrad));
        if (g.InPixels != 0) HostPool.MaxBackward(outputGrad, argmax, inputGrad, g, output);
    }
}
