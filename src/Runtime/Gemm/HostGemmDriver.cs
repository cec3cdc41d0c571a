using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The cache-blocked loop nest of the host GEMM (the BLIS/Goto order) over one rectangle of C:
/// for each Nc panel of columns and Kc slice of K, pack B once; for each Mc block of rows, pack A;
/// then sweep register tiles, B strip outer (it stays in L1) and A strip inner.
/// Beta is applied by the first K slice and 1 by the rest, so C is read and written once per slice.
/// When only a few row strips share each B strip (an LSTM time step: 20 rows), packing B costs more
/// than it saves, so the full strips of a row-major B are read where they lie, rows ldb apart; only
/// a ragged last strip is packed, to pad it with zeros. The FMAs are the same either way.
/// A caller that multiplies many row blocks by one B (a convolution's kernel, block after block of
/// pixels) packs B once with <see cref="HostGemmEngine.PackWholeB"/> and passes it; the FMAs are
/// again the same. A bias row is added to each register tile of C right after the last K slice
/// stored it, while the tile is still in L1, instead of in a second pass over all of C.
/// </summary>
internal static unsafe class HostGemmDriver
{
    // Up to this many row strips read B in place. Measured on 2 cores, builds alternated run by run:
    // 20 x 800 x 200 at 99-104 GFLOP/s in place against 67-71 packed; 50 x 1024 x 3136 at 115-158
    // against 131-132.
    private const int InPlaceStrips = 8;

    // From this many floats (4 MB, twice this machine's L2) a B read in place most likely comes from
    // memory, a 4 KB row apart where no hardware prefetcher follows: the next strip's rows are
    // prefetched while this one is multiplied. fc1 forward (12.8 MB of W) from memory, processor ms
    // per call alternated in one process: 4.92 -> 4.59; from L3, and for B that fits L2 (the LSTM's
    // 20 x 800 x 200: 0.070 -> 0.103), prefetching gained nothing or cost.
    private const long PrefetchFloats = 1024 * 1024;

    /// <summary>
    /// C[rows, cols] of <paramref name="call"/> for rows i0 .. i0+m and columns j0 .. j0+n, with k &gt; 0.
    /// <paramref name="packedB"/>, when given, is all of op(B) packed by <see cref="HostGemmEngine.PackWholeB"/>
    /// (then j0 = 0 and n &lt;= Nc); <paramref name="packedA"/>, all of alpha op(A) packed by the engine
    /// for this kernel (then i0 = 0 and m is all of A's rows).
    /// </summary>
    public static void Run(in HostGemmCall call, int i0, int m, int j0, int n, HostMicroKernel kernel, HostGemmWorkspace ws,
        float* packedB = null, float* packedA = null)
    {
        int mr = kernel.Mr, nr = kernel.Nr;
        bool inPlace = packedB == null && !call.TransB && (m + mr - 1) / mr <= InPlaceStrips;
        bool prefetch = inPlace && Sse.IsSupported && (long)call.K * call.Ldb >= PrefetchFloats;
        for (int jc = 0; jc < n; jc += kernel.Nc)
        {
            int nc = Math.Min(kernel.Nc, n - jc);
            for (int pc = 0; pc < call.K; pc += kernel.Kc)
            {
                int kc = Math.Min(kernel.Kc, call.K - pc);
                float beta = pc == 0 ? call.Beta : 1f;
                float* bias = pc + kc == call.K ? call.Bias : null;
                float* panel = packedB != null ? packedB + (nint)pc * HostGemmPacking.PaddedColumns(n, nr) : ws.PackedB;
                if (packedB == null && !inPlace) HostGemmPacking.PackB(call.TransB, call.B, call.Ldb, pc, j0 + jc, kc, nc, nr, panel);
                for (int ic = 0; ic < m; ic += kernel.Mc)
                {
                    int mc = Math.Min(kernel.Mc, m - ic);
                    float* aBlock = packedA != null ? packedA + (nint)pc * HostGemmPacking.PaddedColumns(m, mr) + (nint)ic * kc : ws.PackedA;
                    if (packedA == null) HostGemmPacking.PackA(call.TransA, call.A, call.Lda, i0 + ic, pc, mc, kc, call.Alpha, mr, ws.PackedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bStrip = panel + (nint)jr * kc;
                        nint bStride = nr;
                        if (inPlace && cols == nr)
                        {
                            bStrip = call.B + pc * call.Ldb + j0 + jc + jr;
                            bStride = call.Ldb;
                            if (prefetch) PrefetchNextStrip(call, pc, kc, j0 + jc + jr + nr, j0 + jc, j0 + jc + nc, nr);
                        }
                        else if (inPlace)
                        {
                            HostGemmPacking.PackB(false, call.B, call.Ldb, pc, j0 + jc + jr, kc, cols, nr, ws.PackedB);
                            bStrip = ws.PackedB;
                        }
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* aStrip = aBlock + (nint)ir * kc;
                            float* c = call.C + (i0 + ic + ir) * call.Ldc + j0 + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                kernel.Run(kc, aStrip, bStrip, bStride, c, call.Ldc, beta);
                            }
                            else
                            {
                                kernel.Run(kc, aStrip, bStrip, bStride, ws.Edge, nr, 0f);
                                MergeEdge(ws.Edge, nr, c, call.Ldc, rows, cols, beta);
                            }
                            if (bias != null) AddBias(c, call.Ldc, rows, cols, bias + j0 + jc + jr);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Prefetches into L2 the kc rows of the full B strip read in place after the one at column
    /// <paramref name="next"/> - nr of K slice pc: column <paramref name="next"/> of the same slice, or,
    /// past the panel's last full strip, its first strip (<paramref name="first"/>) of the next slice.
    /// </summary>
    private static void PrefetchNextStrip(in HostGemmCall call, int pc, int kc, int next, int first, int end, int nr)
    {
        if (next + nr > end)
        {
            pc += kc;
            next = first;
            if (pc >= call.K || first + nr > end) return;
            kc = Math.Min(kc, call.K - pc);
        }
        float* row = call.B + pc * call.Ldb + next;
        for (int p = 0; p < kc; p++, row += call.Ldb)
            for (int j = 0; j < nr; j += 16) Sse.Prefetch1(row + j); // a cache line of 16 floats
    }

    /// <summary>C[r, j] += bias[j] over one register tile (rows x cols) of C.</summary>
    private static void AddBias(float* c, nint ldc, int rows, int cols, float* bias)
    {
        int width = Vector256<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            float* dst = c + r * ldc;
            int j = 0;
            for (; j + width <= cols; j += width) (Vector256.Load(dst + j) + Vector256.Load(bias + j)).Store(dst + j);
            for (; j < cols; j++) dst[j] += bias[j];
        }
    }

    /// <summary>
    /// C = beta C + tile over the part of a register tile that lies inside C, one FMA per element as
    /// the micro-kernel's own store does, so an element's bits do not depend on whether its tile was
    /// whole or ragged (and so on the tile shape).
    /// </summary>
    private static void MergeEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float beta)
    {
        for (int r = 0; r < rows; r++)
        {
            float* dst = c + r * ldc;
            float* src = tile + r * nr;
            for (int j = 0; j < cols; j++)
                dst[j] = beta == 0f ? src[j] : MathF.FusedMultiplyAdd(beta, dst[j], src[j]);
        }
    }
}
