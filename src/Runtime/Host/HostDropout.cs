using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The dropout mask of <see cref="DropoutKernels.Apply"/> over raw pointers: the same Philox draw and
/// the same division per element, so the same bits. Through the per-index launcher the CNN's
/// 51,200-element dropout cost about 1 ms each way, mostly in ArrayView accesses.
/// </summary>
internal static unsafe class HostDropout
{
    public static void Apply(ArrayView<float> input, ArrayView<float> output, ulong seed, ulong stream, ulong first, float keepProb)
    {
        nint px = (nint)HostMemory.Pointer(input), py = (nint)HostMemory.Pointer(output);
        HostParallel.For(checked((int)input.Length), (lo, hi) => Range((float*)px, (float*)py, seed, stream, first, keepProb, lo, hi));
    }

    private static void Range(float* input, float* output, ulong seed, ulong stream, ulong first, float keepProb, int lo, int hi)
    {
        for (int i = lo; i < hi; i++)
        {
            bool keep = Philox.Uniform(seed, stream, first + (ulong)i) < keepProb;
            output[i] = keep ? input[i] / keepProb : 0f;
        }
    }
}
