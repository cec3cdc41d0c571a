using System.Numerics;
using System.Numerics.Tensors;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Bias add and bias gradient on host SIMD. The gradient sums every column in row order starting
/// from 0, exactly the additions of <see cref="Kernels.Bias.Grad"/>, only several columns at a time,
/// so the two agree bit for bit; the kernel's one-thread-per-column walk strides through memory.
/// Both run on every core over contiguous chunks: rows of the activation for the add, bands of
/// columns for the gradient.
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
        nint pdy = (nint)HostMemory.Pointer(dy), pdb = (nint)HostMemory.Pointer(dbias);
        // Bands of columns on the cores (PTB's softmax bias: 10,000 columns over 400 rows); each band
        // still sums its columns in row order, so the cut does not change a bit.
        int bands = (cols + GradBand - 1) / GradBand;
        HostParallel.ForRows(bands, rows * Math.Min(cols, GradBand), (lo, hi) =>
        {
            for (int band = lo; band < hi; band++)
            {
                int first = band * GradBand;
                GradBandOf((float*)pdy + first, rows, cols, accumulate, (float*)pdb + first, Math.Min(GradBand, cols - first));
            }
        });
    }

    // Columns per band of the bias gradient: the band's running sums stay in L1.
    private const int GradBand = 1024;

    private static void GradBandOf(float* dy, int rows, int cols, bool accumulate, float* dbias, int width)
    {
        Span<float> sum = stackalloc float[width];
        sum.Clear();
        fixed (float* ps = sum)
        {
            // Row by row into the sum with inline SIMD: a span call per row cost more than its
            // additions for conv1's 39,200 rows of 32.
            int w = Vector<float>.Count;
            for (int r = 0; r < rows; r++)
            {
                float* row = dy + (long)r * cols;
                int j = 0;
                for (; j + w <= width; j += w) (Vector.Load(ps + j) + Vector.Load(row + j)).Store(ps + j);
                for (; j < width; j++) ps[j] += row[j];
            }
        }
        var db = new Span<float>(dbias, width);
        if (accumulate) TensorPrimitives.Add(db, sum, db);
        else sum.CopyTo(db);
    }
}
