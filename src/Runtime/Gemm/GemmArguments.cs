using ILGPU;

namespace GpuTrain.Runtime.Gemm;

/// <summary>The argument checks every engine shares, so all of them reject the same bad calls the same way.</summary>
public static class GemmArguments
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first argument that is out of range.</summary>
    public static void Validate(bool transA, bool transB, int m, int n, int k,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, ArrayView<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        CheckMatrix("A", a, lda, transA ? k : m, transA ? m : k);
        CheckMatrix("B", b, ldb, transB ? n : k, transB ? k : n);
        CheckMatrix("C", c, ldc, m, n);
    }

    private static void CheckMatrix(string name, ArrayView<float> view, int ld, int rows, int cols)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"GEMM {name}: leading dimension {ld} is less than its {cols} columns.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (view.Length < needed)
            throw new ArgumentException(
                $"GEMM {name}: view holds {view.Length} floats, a {rows} x {cols} matrix with row stride {ld} needs {needed}.");
    }
}
