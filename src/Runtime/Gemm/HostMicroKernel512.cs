using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The AVX-512 register block of the host GEMM: an 8 x 32 tile of C held in 16 zmm accumulators
/// across the whole packed K panel (16 independent FMA chains hide the FMA latency; with the two
/// B vectors and the A broadcast that is 19 of the 32 registers, so nothing spills).
/// </summary>
internal static unsafe class HostMicroKernel512
{
    /// <summary>Rows of C per call: one broadcast of A feeds 2 FMAs.</summary>
    public const int Mr = 8;

    /// <summary>Columns of C per call: 2 vectors of 16 floats.</summary>
    public const int Nr = 32;

    /// <summary>
    /// C[0..Mr, 0..Nr] = beta C + sum over p of a[p] (x) b[p], where a holds kc packed columns of Mr
    /// floats and b kc rows of Nr floats, <paramref name="bStride"/> floats apart (Nr when packed, ldb
    /// when read in place); C is not read when beta is 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += Mr;
            b += bStride;
        }
        Store(c, c00, c01, beta);
        Store(c + 1 * ldc, c10, c11, beta);
        Store(c + 2 * ldc, c20, c21, beta);
        Store(c + 3 * ldc, c30, c31, beta);
        Store(c + 4 * ldc, c40, c41, beta);
        Store(c + 5 * ldc, c50, c51, beta);
        Store(c + 6 * ldc, c60, c61, beta);
        Store(c + 7 * ldc, c70, c71, beta);
    }

    /// <summary>Stores one row of a register tile: C = beta C + (s0, s1), one FMA per element; C is not read when beta is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(float* c, Vector512<float> s0, Vector512<float> s1, float beta)
    {
        if (beta != 0f)
        {
            var scale = Vector512.Create(beta);
            s0 = Vector512.FusedMultiplyAdd(scale, Vector512.Load(c), s0);
            s1 = Vector512.FusedMultiplyAdd(scale, Vector512.Load(c + 16), s1);
        }
        s0.Store(c);
        s1.Store(c + 16);
    }
}
