namespace GpuTrain.Kernels;

/// <summary>
/// The scalar arguments of <see cref="Gemm.Tiled"/>, bundled so the kernel signature stays short.
/// Transposes are ints (0 or 1) rather than bools: every ILGPU backend passes ints the same way.
/// </summary>
/// <param name="TransA">1 when op(A) = A^T (A is stored k x m), else 0.</param>
/// <param name="TransB">1 when op(B) = B^T (B is stored n x k), else 0.</param>
/// <param name="K">The inner dimension.</param>
/// <param name="Lda">Row stride of A as stored.</param>
/// <param name="Ldb">Row stride of B as stored.</param>
/// <param name="Ldc">Row stride of C.</param>
/// <param name="Alpha">Scale of op(A) op(B).</param>
/// <param name="Beta">Scale of the old C; 0 means C is not read (BLAS semantics).</param>
/// <param name="Tile">Tile edge; the group is Tile x Tile threads, at most <see cref="Gemm.MaxTile"/>.</param>
public readonly record struct GemmTileArgs(
    int TransA, int TransB, int K, int Lda, int Ldb, int Ldc, float Alpha, float Beta, int Tile);
