namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams: A in strips of Mr rows
/// (for each k, Mr consecutive floats), B in strips of Nr columns (for each k, Nr consecutive floats).
/// Packing is where the transposes and leading dimensions are absorbed, where alpha is folded into A,
/// and where ragged edges are padded with zeros, so the micro-kernel knows only one case.
/// </summary>
internal static unsafe class HostGemmPacking
{
    /// <summary>Packs alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc / mr) strips of kc x mr.</summary>
    public static void PackA(bool transA, float* a, nint lda, int i0, int p0, int mc, int kc, float alpha, int mr, float* dst)
    {
        for (int s = 0; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            float* strip = dst + (nint)s * kc;
            if (transA)
            {
                // Stored k x m: for each k the strip's rows are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (p0 + p) * lda + i0 + s;
                    float* d = strip + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = alpha * src[r];
                    for (; r < mr; r++) d[r] = 0f;
                }
            }
            else
            {
                // Stored m x k: read each row sequentially, write it down the strip's column.
                for (int r = 0; r < mr; r++)
                {
                    float* d = strip + r;
                    if (r < rows)
                    {
                        float* src = a + (i0 + s + r) * lda + p0;
                        for (int p = 0; p < kc; p++) d[p * mr] = alpha * src[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[p * mr] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc / nr) strips of kc x nr.</summary>
    public static void PackB(bool transB, float* b, nint ldb, int p0, int j0, int kc, int nc, int nr, float* dst)
    {
        for (int t = 0; t < nc; t += nr)
        {
            int cols = Math.Min(nr, nc - t);
            float* strip = dst + (nint)t * kc;
            if (!transB)
            {
                // Stored k x n: each k row of the strip is one contiguous run.
                for (int p = 0; p < kc; p++)
                {
                    float* d = strip + p * nr;
                    new ReadOnlySpan<float>(b + (p0 + p) * ldb + j0 + t, cols).CopyTo(new Span<float>(d, cols));
                    if (cols < nr) new Span<float>(d + cols, nr - cols).Clear();
                }
            }
            else
            {
                // Stored n x k: read each B row sequentially, write it down the strip's column.
                for (int j = 0; j < nr; j++)
                {
                    float* d = strip + j;
                    if (j < cols)
                    {
                        float* src = b + (j0 + t + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[p * nr] = 0f;
                    }
                }
            }
        }
    }
}
