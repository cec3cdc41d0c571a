namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// How many threads a grid-stride kernel over <c>n</c> elements is launched with: one wave of the
/// accelerator (every thread it can run at once), fewer for short arrays. ILGPU's CPU emulator
/// then runs 16-odd threads each looping over its share instead of one emulated thread per element.
/// When the device runs kernels on host threads, one index per element instead, so that each host
/// chunk is a contiguous range of the arena rather than an interleaved stripe.
/// </summary>
internal static class GridStride
{
    public static int Threads(Devices.Device device, long elements) =>
        (int)Math.Max(1, device.RunsKernelsOnHost ? elements : Math.Min(elements, device.Accelerator.MaxNumThreads));
}
