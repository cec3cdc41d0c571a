using GpuTrain.Kernels;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="RandomFill"/> kernels: element i of a fill is a pure function of
/// (seed, stream, i) (<see cref="Philox"/>), identical on every device and on the host, so a
/// resumed run redraws exactly the same numbers. Give each use its own stream.
/// </summary>
internal static class RandomOps
{
    private static readonly Action<Index1D, ArrayView<float>, ulong, ulong, float, float> UniformKernel = RandomFill.Uniform;
    private static readonly Action<Index1D, ArrayView<float>, ulong, ulong, float, float> NormalKernel = RandomFill.Normal;

    /// <summary>Fills <paramref name="y"/> with uniform numbers in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform(Device device, ArrayView<float> y, ulong seed, ulong stream, float low = 0f, float high = 1f)
    {
        if (y.Length == 0) return;
        device.Kernel(UniformKernel, acc => acc.LoadAutoGroupedStreamKernel(UniformKernel))(
            ViewChecks.Extent(y, nameof(y)), y, seed, stream, low, high);
    }

    /// <summary>Fills <paramref name="y"/> with normal numbers of mean <paramref name="mean"/> and standard deviation <paramref name="std"/>.</summary>
    public static void Normal(Device device, ArrayView<float> y, ulong seed, ulong stream, float mean = 0f, float std = 1f)
    {
        if (y.Length == 0) return;
        device.Kernel(NormalKernel, acc => acc.LoadAutoGroupedStreamKernel(NormalKernel))(
            ViewChecks.Extent(y, nameof(y)), y, seed, stream, mean, std);
    }
}
