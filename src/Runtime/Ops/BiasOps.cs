using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="Bias"/> kernels for a row-major [rows, cols] activation and a [cols] bias,
/// on the device's default stream.
/// </summary>
internal static class BiasOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>> AddKernel = Bias.Add;
    private static readonly Action<Index1D, ArrayView<float>, int, int, float, ArrayView<float>> GradKernel = Bias.Grad;

    /// <summary><c>y[r, c] = x[r, c] + bias[c]</c>; <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    public static void Add(Device device, ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y)
    {
        ViewChecks.SameLength(y, x, nameof(y), nameof(x));
        int cols = checked((int)bias.Length);
        ViewChecks.Rows(x, cols, nameof(x));
        if (y.Length == 0) return;
        if (device.RunsKernelsOnHost) HostBias.Add(x, bias, y);
        else device.Kernel(AddKernel, acc => acc.LoadAutoGroupedStreamKernel(AddKernel))(ViewChecks.Extent(y, nameof(y)), x, bias, cols, y);
    }

    /// <summary>
    /// <c>dbias[c] = sum over rows of dy[r, c]</c>, added to what <paramref name="dbias"/> holds when
    /// <paramref name="accumulate"/> (parameter gradients accumulate), else overwriting it.
    /// Deterministic: each column is summed in row order by one thread.
    /// </summary>
    public static void Grad(Device device, ArrayView<float> dy, ArrayView<float> dbias, bool accumulate = true)
    {
        int cols = checked((int)dbias.Length);
        int rows = ViewChecks.Rows(dy, cols, nameof(dy));
        if (device.RunsKernelsOnHost) HostBias.Grad(dy, rows, cols, accumulate, dbias);
        else device.Kernel(GradKernel, acc => acc.LoadAutoGroupedStreamKernel(GradKernel))(
            cols, dy, rows, cols, accumulate ? 1f : 0f, dbias);
    }
}
