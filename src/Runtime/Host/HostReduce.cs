using System.Numerics;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The first launch of <see cref="Kernels.Reduce"/> on host SIMD. Partial p still adds
/// x[p], x[p + parts], x[p + 2 parts], ... in that order from 0 (so the results match the kernel bit
/// for bit), but the walk goes row by row through memory, a vector of partials at a time, instead of
/// one partial's 4 KB stride at a time, which thrashes the cache for arenas of millions of floats.
/// </summary>
internal static unsafe class HostReduce
{
    public static void PartialSums(ArrayView<float> x, int parts, ArrayView<float> partials, bool squares)
    {
        nint px = (nint)HostMemory.Pointer(x), pp = (nint)HostMemory.Pointer(partials);
        long length = x.Length;
        int width = Vector<float>.Count;
        // Each worker owns a contiguous block of partials (whole vectors), so no two write one element.
        int blocks = parts / width;
        HostParallel.For(blocks, (lo, hi) =>
        {
            float* xs = (float*)px, sums = (float*)pp;
            for (int v = lo; v < hi; v++) new Span<float>(sums + v * width, width).Clear();
            for (long row = 0; row < length; row += parts)
            {
                long rowLength = Math.Min(parts, length - row);
                for (int v = lo; v < hi; v++)
                {
                    int p = v * width;
                    if (p + width <= rowLength)
                    {
                        var value = *(Vector<float>*)(xs + row + p);
                        var sum = *(Vector<float>*)(sums + p);
                        *(Vector<float>*)(sums + p) = squares ? sum + value * value : sum + value;
                    }
                    else
                    {
                        for (int q = p; q < p + width && q < rowLength; q++)
                            sums[q] += squares ? xs[row + q] * xs[row + q] : xs[row + q];
                    }
                }
            }
        });
    }
}
