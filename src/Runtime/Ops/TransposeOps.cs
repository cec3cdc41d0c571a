using GpuTrain.Kernels;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>Launches <see cref="Transpose.Transpose2D"/> on the device's default stream.</summary>
internal static class TransposeOps
{
    private static readonly Action<Index1D, ArrayView<float>, int, int, ArrayView<float>> Transpose2DKernel = Transpose.Transpose2D;

    /// <summary>
    /// Writes the [cols, rows] transpose of the row-major [<paramref name="rows"/>, <paramref name="cols"/>]
    /// matrix <paramref name="input"/> into <paramref name="output"/> (distinct buffers: no in-place transpose).
    /// </summary>
    public static void Transpose2D(Device device, ArrayView<float> input, int rows, int cols, ArrayView<float> output)
    {
        ViewChecks.Positive(rows, nameof(rows));
        ViewChecks.Positive(cols, nameof(cols));
        ViewChecks.Length(input, (long)rows * cols, nameof(input));
        ViewChecks.Length(output, (long)rows * cols, nameof(output));
        device.Kernel(Transpose2DKernel, acc => acc.LoadAutoGroupedStreamKernel(Transpose2DKernel))(
            ViewChecks.Extent(output, nameof(output)), input, rows, cols, output);
    }
}
