using ILGPU;

namespace GpuTrain.Runtime.Gemm;

/// <summary>The argument checks every engine shares, so all of them reject the same bad calls the same way.</summary>
internal static class GemmArguments
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first argument that is out of range.</summary>
    public static void Validate(bool transA, bool transB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, ArrayView<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix("A", a, lda, transA ? k : m, transA ? m : k, nameof(a), nameof(lda));
        CheckMatrix("B", b, ldb, transB ? n : k, transB ? k : n, nameof(b), nameof(ldb));
        CheckMatrix("C", c, ldc, m, n, nameof(c), nameof(ldc));
    }

    private static void CheckMatrix(string name, ArrayView<float> view, int ld, int rows, int cols, string viewParam, string ldParam)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldParam, ld, $"GEMM {name}: leading dimension {ld} is less than its {cols} columns.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (view.Length < needed)
            throw new ArgumentException(
                $"GEMM {name}: view holds {view.Length} floats, a {rows} x {cols} matrix with row stride {ld} needs {needed}.", viewParam);
    }
}
