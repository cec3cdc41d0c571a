using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Fill and scale of a whole view on host SIMD over contiguous chunks on every core: the per-index
/// kernels touch one float per call, which for a gradient arena of millions costs milliseconds.
/// Each element gets the kernel's one operation, so the results are the kernel's.
/// </summary>
internal static unsafe class HostElementwise
{
    /// <summary><c>y[i] = value</c>.</summary>
    public static void Fill(ArrayView<float> y, float value)
    {
        nint py = (nint)HostMemory.Pointer(y);
        HostParallel.For(checked((int)y.Length), (lo, hi) => new Span<float>((float*)py + lo, hi - lo).Fill(value));
    }

    /// <summary><c>y[i] *= scale</c>.</summary>
    public static void Scale(ArrayView<float> y, float scale)
    {
        nint py = (nint)HostMemory.Pointer(y);
        HostParallel.For(checked((int)y.Length), (lo, hi) =>
        {
            var span = new Span<float>((float*)py + lo, hi - lo);
            System.Numerics.Tensors.TensorPrimitives.Multiply(span, scale, span);
        });
    }
}
