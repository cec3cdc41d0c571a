using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The AVX-512 register block for products with few rows (a dense layer's batch of 50, an LSTM's
/// 20 streams): a 10 x 32 tile of C in 20 zmm accumulators (with the two B vectors and the A
/// broadcast, 23 of the 32 registers). 50 rows are 5 strips of 10, where the 8-row tile runs 7
/// strips over 56 rows, the last one a quarter full; each B load also feeds 10 FMAs instead of 8.
/// Each element of C sees the same FMAs in the same K order as in <see cref="HostMicroKernel512"/>,
/// so which of the two runs a product does not change its bits.
/// </summary>
internal static unsafe class HostMicroKernel512Rows10
{
    /// <summary>Rows of C per call.</summary>
    public const int Mr = 10;

    /// <summary>Columns of C per call: 2 vectors of 16 floats.</summary>
    public const int Nr = 32;

    /// <summary>As <see cref="HostMicroKernel512.Run"/>, over 10 rows.</summary>
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
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
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
            var a8 = Vector512.Create(a[8]);
            c80 = Vector512.FusedMultiplyAdd(a8, b0, c80);
            c81 = Vector512.FusedMultiplyAdd(a8, b1, c81);
            var a9 = Vector512.Create(a[9]);
            c90 = Vector512.FusedMultiplyAdd(a9, b0, c90);
            c91 = Vector512.FusedMultiplyAdd(a9, b1, c91);
            a += Mr;
            b += bStride;
        }
        HostMicroKernel512.Store(c, c00, c01, beta);
        HostMicroKernel512.Store(c + 1 * ldc, c10, c11, beta);
        HostMicroKernel512.Store(c + 2 * ldc, c20, c21, beta);
        HostMicroKernel512.Store(c + 3 * ldc, c30, c31, beta);
        HostMicroKernel512.Store(c + 4 * ldc, c40, c41, beta);
        HostMicroKernel512.Store(c + 5 * ldc, c50, c51, beta);
        HostMicroKernel512.Store(c + 6 * ldc, c60, c61, beta);
        HostMicroKernel512.Store(c + 7 * ldc, c70, c71, beta);
        HostMicroKernel512.Store(c + 8 * ldc, c80, c81, beta);
        HostMicroKernel512.Store(c + 9 * ldc, c90, c91, beta);
    }
}
