using System.Numerics;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// ReLU and its gradient on host SIMD, element for element what <see cref="Kernels.Activations"/>
/// computes (<c>x &gt; 0 ? x : 0</c>, so NaN gives 0 as in the kernel). The two are the hottest
/// element-wise ops of a CNN step; through the per-index host launcher they cost several ns an element.
/// </summary>
internal static unsafe class HostActivations
{
    public static void Relu(ArrayView<float> x, ArrayView<float> y)
    {
        nint px = (nint)HostMemory.Pointer(x), py = (nint)HostMemory.Pointer(y);
        HostParallel.For(checked((int)y.Length), (lo, hi) => ReluRange((float*)px, (float*)py, lo, hi));
    }

    public static void ReluGrad(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        nint px = (nint)HostMemory.Pointer(x), pdy = (nint)HostMemory.Pointer(dy), pdx = (nint)HostMemory.Pointer(dx);
        HostParallel.For(checked((int)dx.Length), (lo, hi) => ReluGradRange((float*)px, (float*)pdy, (float*)pdx, lo, hi));
    }

    private static void ReluRange(float* x, float* y, int lo, int hi)
    {
        int i = lo, w = Vector<float>.Count;
        for (; i + w <= hi; i += w)
        {
            var v = Vector.Load(x + i);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, Vector<float>.Zero).Store(y + i);
        }
        for (; i < hi; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    private static void ReluGradRange(float* x, float* dy, float* dx, int lo, int hi)
    {
        int i = lo, w = Vector<float>.Count;
        for (; i + w <= hi; i += w)
        {
            var positive = Vector.GreaterThan(Vector.Load(x + i), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, Vector.Load(dy + i), Vector<float>.Zero).Store(dx + i);
        }
        for (; i < hi; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }
}
