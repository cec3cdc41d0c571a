using System.Numerics.Tensors;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Bias add and bias gradient on host SIMD. The gradient sums every column in row order starting
/// from 0, exactly the additions of <see cref="Kernels.Bias.Grad"/>, only several columns at a time,
/// so the two agree bit for bit; the kernel's one-thread-per-column walk strides through memory.
/// </summary>
internal static unsafe class HostBias
{
    public static void Add(ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y)
    {
        nint px = (nint)HostMemory.Pointer(x), pb = (nint)HostMemory.Pointer(bias), py = (nint)HostMemory.Pointer(y);
        int cols = (int)bias.Length, rows = (int)(y.Length / cols);
        HostParallel.For(rows, (lo, hi) =>
        {
            var b = new ReadOnlySpan<float>((float*)pb, cols);
            for (int r = lo; r < hi; r++)
                TensorPrimitives.Add(new ReadOnlySpan<float>((float*)px + (long)r * cols, cols), b, new Span<float>((float*)py + (long)r * cols, cols));
        });
    }

    public static void Grad(ArrayView<float> dy, int rows, int cols, bool accumulate, ArrayView<float> dbias)
    {
        float* pdy = HostMemory.Pointer(dy), pdb = HostMemory.Pointer(dbias);
        Span<float> sum = cols <= 1024 ? stackalloc float[cols] : new float[cols];
        sum.Clear();
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(sum, new ReadOnlySpan<float>(pdy + (long)r * cols, cols), sum);
        var db = new Span<float>(pdb, cols);
        if (accumulate) TensorPrimitives.Add(db, sum, db);
        else sum.CopyTo(db);
    }
}
