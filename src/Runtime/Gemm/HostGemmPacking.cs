using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                    if (rows >= 8 && Avx.IsSupported)
                    {
                        Avx.Store(d, Avx.Multiply(Avx.LoadVector256(src), Vector256.Create(alpha)));
                        r = 8;
                    }
                    for (; r < rows; r++) d[r] = alpha * src[r];
                    for (; r < mr; r++) d[r] = 0f;
                }
            }
            else
            {
                // Stored m x k: 8 rows at a time transposed in registers, any others read row by row,
                // each written down the strip's column.
                int r = 0;
                if (rows >= 8 && Avx.IsSupported)
                {
                    TransposeEightRows(a + (i0 + s) * lda + p0, lda, kc, alpha, strip, mr);
                    r = 8;
                }
                for (; r < mr; r++)
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

    /// <summary>
    /// Writes alpha * the transpose of 8 rows of length kc (row stride lda) as kc runs of 8 floats,
    /// run p at dst + p * dstStride: the packing of 8 rows of a row-major A (dstStride = Mr) or
    /// of 8 columns of a transposed B (dstStride = Nr). 8 x 8 blocks are transposed in registers,
    /// so each run is one store instead of eight scattered scalar writes (the scalar walk cost about
    /// as much as the FMAs for the CNN's n = 64 products).
    /// </summary>
    private static void TransposeEightRows(float* src, nint lda, int kc, float alpha, float* dst, int dstStride)
    {
        var scale = Vector256.Create(alpha);
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            Transpose8x8(
                Avx.Multiply(Avx.LoadVector256(src + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 2 * lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 3 * lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 4 * lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 5 * lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 6 * lda + p), scale),
                Avx.Multiply(Avx.LoadVector256(src + 7 * lda + p), scale),
                dst + p * dstStride, dstStride);
        }
        for (; p < kc; p++)
            for (int r = 0; r < 8; r++) dst[p * dstStride + r] = alpha * src[r * lda + p];
    }

    /// <summary>
    /// Writes the transpose of the 8 x 8 block whose rows are r0 .. r7 as 8 runs of 8 floats, run j
    /// (column j of the block) at dst + j * dstStride: interleave pairs of rows, then pairs of pairs,
    /// then swap 128-bit halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, nint dstStride)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Columns of a packed B panel of <paramref name="n"/> columns: n rounded up to whole strips.</summary>
    public static int PaddedColumns(int n, int nr) => (n + nr - 1) / nr * nr;

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
            else if (cols == nr && nr % 8 == 0 && Avx.IsSupported)
            {
                for (int j = 0; j < nr; j += 8)
                    TransposeEightRows(b + (j0 + t + j) * ldb + p0, ldb, kc, 1f, strip + j, nr);
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
