using ILGPU;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// Single-precision GEMM, <c>C = alpha op(A) op(B) + beta C</c>, on one accelerator's memory, with
/// row-major matrices and BLAS conventions: op(X) is X or X^T, the leading dimensions are row strides
/// of the matrices as stored, and C is not read when beta is 0 (so NaNs in it do not leak through).
/// Work is ordered with the accelerator's default stream (engines that run on the host synchronize
/// it first). Get the engine that suits a device from <see cref="GemmEngines.For"/>.
/// </summary>
public interface IGemmEngine : IDisposable
{
    /// <summary>A short name for reports, e.g. "host-avx512", "tiled-ilgpu", "cublas".</summary>
    string Name { get; }

    /// <summary>Computes <c>C = alpha op(A) op(B) + beta C</c> where op(A) is m x k and op(B) is k x n.</summary>
    /// <param name="transA">When true A is stored k x m and op(A) = A^T.</param>
    /// <param name="transB">When true B is stored n x k and op(B) = B^T.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension; 0 scales C by beta.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A as stored.</param>
    /// <param name="lda">Row stride of A as stored (at least its column count).</param>
    /// <param name="b">B as stored.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of the old C.</param>
    /// <param name="c">C, m x n.</param>
    /// <param name="ldc">Row stride of C (at least n).</param>
    /// <exception cref="ArgumentException">A dimension is negative, a stride too small, or a view too short.</exception>
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc);
}
