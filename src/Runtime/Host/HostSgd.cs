using System.Numerics;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The update of <see cref="Kernels.Optimizers.Sgd"/> (<c>param -= grad * learningRate</c>) on host
/// SIMD over contiguous ranges of the arena: the same operations per element, so the same result.
/// The per-index kernel took 15 ms a step for the PTB model's 4.6M parameters.
/// </summary>
internal static unsafe class HostSgd
{
    public static void Update(ArrayView<float> param, ArrayView<float> grad, float learningRate)
    {
        nint pp = (nint)HostMemory.Pointer(param), pg = (nint)HostMemory.Pointer(grad);
        HostParallel.For(checked((int)param.Length), (lo, hi) => Range((float*)pp, (float*)pg, learningRate, lo, hi));
    }

    private static void Range(float* p, float* g, float learningRate, int lo, int hi)
    {
        int i = lo, w = Vector<float>.Count;
        var lr = new Vector<float>(learningRate);
        for (; i + w <= hi; i += w) (Vector.Load(p + i) - Vector.Load(g + i) * lr).Store(p + i);
        for (; i < hi; i++) p[i] -= g[i] * learningRate;
    }
}
