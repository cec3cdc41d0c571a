using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The AVX2 register block of the host GEMM (used where Vector512 is not accelerated): a 6 x 16 tile
/// of C in 12 ymm accumulators, plus two B vectors and the A broadcast: 15 of the 16 registers.
/// </summary>
internal static unsafe class HostMicroKernel256
{
    /// <summary>Rows of C per call: one broadcast of A feeds 2 FMAs.</summary>
    public const int Mr = 6;

    /// <summary>Columns of C per call: 2 vectors of 8 floats.</summary>
    public const int Nr = 16;

    /// <summary>
    /// C[0..Mr, 0..Nr] = beta C + sum over p of a[p] (x) b[p], where a holds kc packed columns of Mr
    /// floats and b kc rows of Nr floats, <paramref name="bStride"/> floats apart (Nr when packed, ldb
    /// when read in place); C is not read when beta is 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += Mr;
            b += bStride;
        }
        Store(c, c00, c01, beta);
        Store(c + 1 * ldc, c10, c11, beta);
        Store(c + 2 * ldc, c20, c21, beta);
        Store(c + 3 * ldc, c30, c31, beta);
        Store(c + 4 * ldc, c40, c41, beta);
        Store(c + 5 * ldc, c50, c51, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> s0, Vector256<float> s1, float beta)
    {
        if (beta != 0f)
        {
            var scale = Vector256.Create(beta);
            s0 = Vector256.FusedMultiplyAdd(scale, Vector256.Load(c), s0);
            s1 = Vector256.FusedMultiplyAdd(scale, Vector256.Load(c + 8), s1);
        }
        s0.Store(c);
        s1.Store(c + 8);
    }
}
