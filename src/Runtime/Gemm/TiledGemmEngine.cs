using GpuTrain.Kernels;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;
using GemmKernels = GpuTrain.Kernels.Gemm;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// GEMM as the tiled ILGPU kernel <see cref="GemmKernels.Tiled"/>: the engine for OpenCL devices,
/// and usable on any accelerator (on the CPU accelerator it is a slow but faithful emulation).
/// </summary>
internal sealed class TiledGemmEngine : IGemmEngine
{
    private readonly Action<KernelConfig, Index2D, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, GemmTileArgs> _kernel;

    /// <summary>Loads (once per device) the tiled kernel and picks the tile edge for the device.</summary>
    public TiledGemmEngine(Device device)
    {
        Tile = TileFor(device.Accelerator.MaxNumThreadsPerGroup);
        _kernel = device.Kernel(typeof(GemmKernels), acc => acc.LoadStreamKernel<Index2D, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, GemmTileArgs>(GemmKernels.Tiled));
    }

    /// <summary>The tile edge: the largest square group the accelerator allows, capped at <see cref="GemmKernels.MaxTile"/>.</summary>
    public int Tile { get; }

    /// <inheritdoc />
    public string Name => "tiled-ilgpu";

    /// <summary>The largest t with t * t &lt;= <paramref name="maxThreadsPerGroup"/>, at most <see cref="GemmKernels.MaxTile"/>.</summary>
    public static int TileFor(int maxThreadsPerGroup)
    {
        int t = (int)Math.Sqrt(maxThreadsPerGroup);
        if ((t + 1) * (t + 1) <= maxThreadsPerGroup) t++; // Math.Sqrt may round a perfect square down
        return Math.Clamp(t, 1, GemmKernels.MaxTile);
    }

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        var grid = new Index2D((n + Tile - 1) / Tile, (m + Tile - 1) / Tile);
        var args = new GemmTileArgs(transA ? 1 : 0, transB ? 1 : 0, k, lda, ldb, ldc, alpha, beta, Tile);
        _kernel(new KernelConfig(grid, new Index2D(Tile, Tile)),
            new Index2D(n, m), a, b, c, args);
    }

    /// <summary>Nothing to release: the kernel belongs to the device's cache.</summary>
    public void Dispose()
    {
    }
}
