using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Deterministic sums with the <see cref="Reduce"/> kernels: two launches, no atomics, and a fixed
/// number of partial sums (<see cref="ScratchLength"/>, the same on every device), so a result is
/// bit-identical from run to run. The result stays on the device (a 1-element view) so it can feed
/// the next kernel without a host round trip.
/// </summary>
internal static class ReduceOps
{
    /// <summary>
    /// Length of the scratch view the sums need (the number of partial sums). Fixed rather than
    /// taken from the device so the order of additions, and so the result, is the same everywhere.
    /// </summary>
    public const int ScratchLength = 1024;

    private static readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>> PartialSumsKernel = Reduce.PartialSums;
    private static readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>> PartialSumsOfSquaresKernel = Reduce.PartialSumsOfSquares;
    private static readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>> FinalSumKernel = Reduce.FinalSum;

    /// <summary><c>result[0] = sum of x</c>; <paramref name="scratch"/> holds at least <see cref="ScratchLength"/> floats.</summary>
    public static void Sum(Device device, ArrayView<float> x, ArrayView<float> scratch, ArrayView<float> result) =>
        Run(device, PartialSumsKernel, x, scratch, result);

    /// <summary>
    /// <c>result[0] = sum of x^2</c> (the squared global norm when <paramref name="x"/> is the whole
    /// gradient arena); <paramref name="scratch"/> holds at least <see cref="ScratchLength"/> floats.
    /// </summary>
    public static void SumOfSquares(Device device, ArrayView<float> x, ArrayView<float> scratch, ArrayView<float> result) =>
        Run(device, PartialSumsOfSquaresKernel, x, scratch, result);

    private static void Run(Device device, Action<Index1D, ArrayView<float>, int, ArrayView<float>> partialKernel,
        ArrayView<float> x, ArrayView<float> scratch, ArrayView<float> result)
    {
        if (scratch.Length < ScratchLength)
            throw new ArgumentException($"scratch has {scratch.Length} elements, needs {ScratchLength}.", nameof(scratch));
        ViewChecks.Length(result, 1, nameof(result));
        var partials = scratch.SubView(0, ScratchLength);
        // On host threads the same partials come from a cache-friendly SIMD walk (bit-identical).
        if (device.RunsKernelsOnHost)
            HostReduce.PartialSums(x, ScratchLength, partials, squares: ReferenceEquals(partialKernel, PartialSumsOfSquaresKernel));
        else device.Kernel(partialKernel, acc => acc.LoadAutoGroupedStreamKernel(partialKernel))(ScratchLength, x, ScratchLength, partials);
        device.Kernel(FinalSumKernel, acc => acc.LoadAutoGroupedStreamKernel(FinalSumKernel))(1, partials, ScratchLength, result);
    }
}
