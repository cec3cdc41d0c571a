using System.Numerics;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The Adam update of <see cref="Kernels.Optimizers.Adam"/> on host SIMD over contiguous ranges of
/// the arena: the same operations in the same order per element, so the result is identical; the
/// per-index kernel spends most of its time on loads and the square root, one float at a time.
/// </summary>
internal static unsafe class HostAdam
{
    public static void Update(ArrayView<float> param, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v,
        ArrayView<float> beta1Power, ArrayView<float> beta2Power, float learningRate, float beta1, float beta2, float epsilon)
    {
        float b1p = *HostMemory.Pointer(beta1Power), b2p = *HostMemory.Pointer(beta2Power);
        float alpha = learningRate * MathF.Sqrt(1f - b2p) / (1f - b1p);
        nint pp = (nint)HostMemory.Pointer(param), pg = (nint)HostMemory.Pointer(grad);
        nint pm = (nint)HostMemory.Pointer(m), pv = (nint)HostMemory.Pointer(v);
        var k = new Constants(alpha, 1f - beta1, 1f - beta2, epsilon);
        HostParallel.For(checked((int)param.Length), (lo, hi) => Range((float*)pp, (float*)pg, (float*)pm, (float*)pv, k, lo, hi));
    }

    private readonly record struct Constants(float Alpha, float OneMinusBeta1, float OneMinusBeta2, float Epsilon);

    private static void Range(float* p, float* g, float* m, float* v, Constants k, int lo, int hi)
    {
        int i = lo, w = Vector<float>.Count;
        var alpha = new Vector<float>(k.Alpha);
        var b1 = new Vector<float>(k.OneMinusBeta1);
        var b2 = new Vector<float>(k.OneMinusBeta2);
        var eps = new Vector<float>(k.Epsilon);
        for (; i + w <= hi; i += w)
        {
            var gi = Vector.Load(g + i);
            var mOld = Vector.Load(m + i);
            var vOld = Vector.Load(v + i);
            var mi = mOld + (gi - mOld) * b1;
            var vi = vOld + (gi * gi - vOld) * b2;
            mi.Store(m + i);
            vi.Store(v + i);
            (Vector.Load(p + i) - mi * alpha / (Vector.SquareRoot(vi) + eps)).Store(p + i);
        }
        for (; i < hi; i++)
        {
            float gi = g[i];
            float mi = m[i] + (gi - m[i]) * k.OneMinusBeta1;
            float vi = v[i] + (gi * gi - v[i]) * k.OneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            p[i] -= mi * k.Alpha / (MathF.Sqrt(vi) + k.Epsilon);
        }
    }
}
