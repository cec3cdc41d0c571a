using GpuTrain.Kernels;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Layers;

/// <summary>The bias launches Dense and Conv2D share: add over rows, and accumulate the column sums of dY.</summary>
internal static class BiasLaunch
{
    /// <summary>y[r, c] += bias[c] over a [rows, cols] view, in place.</summary>
    public static void AddInPlace(Device device, ArrayView<float> y, ArrayView<float> bias, int rows, int cols)
    {
        var add = device.Kernel(Bias.Add, a =>
            a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(Bias.Add));
        add(rows * cols, y, bias, cols, y);
    }

    /// <summary>dbias[c] += sum over rows of dy[r, c] (parameter gradients accumulate).</summary>
    public static void AccumulateGrad(Device device, ArrayView<float> dy, ArrayView<float> dbias, int rows, int cols)
    {
        var grad = device.Kernel(Bias.Grad, a =>
            a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, float, ArrayView<float>>(Bias.Grad));
        grad(cols, dy, rows, cols, 1f, dbias);
    }
}
