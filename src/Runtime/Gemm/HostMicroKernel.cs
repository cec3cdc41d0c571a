using System.Runtime.Intrinsics;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// One register-blocked micro-kernel of the host GEMM with its tile shape and the cache blocking that
/// suits it: the A block (Mc x Kc) stays in L2, one packed B strip (Kc x Nr) in L1 while the A strips
/// stream past it, and the B panel (Kc x Nc) in L3.
/// </summary>
internal readonly unsafe struct HostMicroKernel
{
    private HostMicroKernel(string name, int mr, int nr, delegate*<int, float*, float*, nint, float*, nint, float, void> run)
    {
        Name = name;
        Mr = mr;
        Nr = nr;
        Run = run;
    }

    /// <summary>8 x 32 tiles in zmm registers.</summary>
    public static HostMicroKernel Avx512 =>
        new("host-avx512", HostMicroKernel512.Mr, HostMicroKernel512.Nr, &HostMicroKernel512.Run);

    /// <summary>10 x 32 tiles in zmm registers, for products with few rows (<see cref="HostMicroKernel512Rows10"/>).</summary>
    public static HostMicroKernel Avx512Rows10 =>
        new("host-avx512", HostMicroKernel512Rows10.Mr, HostMicroKernel512Rows10.Nr, &HostMicroKernel512Rows10.Run);

    /// <summary>6 x 16 tiles in ymm registers.</summary>
    public static HostMicroKernel Avx2 =>
        new("host-avx2", HostMicroKernel256.Mr, HostMicroKernel256.Nr, &HostMicroKernel256.Run);

    /// <summary>The widest kernel the processor accelerates (Vector512 only when asked and available).</summary>
    public static HostMicroKernel Best(bool allowVector512) =>
        allowVector512 && Vector512.IsHardwareAccelerated ? Avx512 : Avx2;

    /// <summary>The engine name this kernel gives.</summary>
    public string Name { get; }

    /// <summary>Rows of the register tile.</summary>
    public int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    public int Nr { get; }

    /// <summary>Depth of a packed panel: 256 floats of A and B per tile row/column.</summary>
    public int Kc => 256;

    /// <summary>Rows of the packed A block: 16 register tiles (128 KB for AVX-512, well inside L2).</summary>
    public int Mc => 16 * Mr;

    /// <summary>Columns of the packed B panel: 128 register tiles (4 MB for AVX-512).</summary>
    public int Nc => 128 * Nr;

    /// <summary>The micro-kernel: (kc, packed A strip, B strip, B row stride, C tile, ldc, beta).</summary>
    public delegate*<int, float*, float*, nint, float*, nint, float, void> Run { get; }
}
