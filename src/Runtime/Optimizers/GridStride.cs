using ILGPU.Runtime;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// How many threads a grid-stride kernel over <c>n</c> elements is launched with: one wave of the
/// accelerator (every thread it can run at once), fewer for short arrays. On the CPU accelerator
/// that is 16 threads, each looping over its share, instead of one emulated thread per element.
/// </summary>
internal static class GridStride
{
    public static int Threads(Accelerator accelerator, long elements) =>
        (int)Math.Max(1, Math.Min(elements, accelerator.MaxNumThreads));
}
