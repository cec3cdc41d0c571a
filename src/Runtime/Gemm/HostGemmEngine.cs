using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using GpuTrain.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The GEMM of the CPU accelerator: a packed, register-blocked SIMD GEMM (AVX-512 where the processor
/// accelerates Vector512, else AVX2) running on the host directly over the accelerator's buffers,
/// which on ILGPU's CPU accelerator are plain host memory. C is cut into rectangles of whole register
/// tiles (along whichever of m and n has more of them), a few per core, which the cores take one
/// after another (<see cref="ForBlocks"/>): a vCPU that another process holds for a while delays
/// only the rectangle it is on, where one rectangle per core made the whole call wait for it. Each
/// rectangle sums over K in the same order whatever the cut, so results are bit-identical run to
/// run and to a one-thread call. Calls are synchronous, not thread-safe, and first wait for the
/// accelerator so that kernels queued before the call have finished writing A, B and C.
/// </summary>
internal sealed unsafe class HostGemmEngine : IGemmEngine
{
    // Below this many flops a second thread costs more to wake than it saves.
    private const long ParallelFlops = 4_000_000;

    // Rectangles of C per core, so that the cores balance when one is slowed; each packs its own
    // copy of the operand shared across the cut, so no more than that, and none under MinChunkFlops.
    private const int ChunksPerCore = 4;
    private const long MinChunkFlops = 2_000_000;

    // From this many floats of packed B (1 MB) a whole-B pack is split across the cores.
    private const long ParallelPackFloats = 256 * 1024;

    // Up to this many floats of A (4 MB) a column cut packs A once for all its rectangles.
    private const long WholeAFloats = 1024 * 1024;

    private readonly Device _device;
    private readonly HostMicroKernel _kernel;
    private readonly HostMicroKernel? _fewRows;
    private readonly HostGemmWorkspace?[] _workspaces;
    private float* _wholeA, _wholeB;
    private long _wholeAFloats, _wholeBFloats;

    /// <summary>Creates the engine for a CPU accelerator.</summary>
    /// <param name="device">A device of kind <see cref="DeviceKind.Cpu"/>.</param>
    /// <param name="allowVector512">False forces the AVX2 (Vector256) kernel even where AVX-512 is available.</param>
    /// <param name="cores">Workers at most (default <see cref="HostParallel.Cores"/>); the cut of C follows it, the results do not.</param>
    /// <param name="allowRows10">False keeps the 8-row AVX-512 tile for products with few rows too; the results are the same.</param>
    /// <exception cref="ArgumentException">The device's memory is not host memory.</exception>
    public HostGemmEngine(Device device, bool allowVector512 = true, int? cores = null, bool allowRows10 = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cores ?? 1, 1, nameof(cores));
        if (device.Kind != DeviceKind.Cpu)
            throw new ArgumentException($"The host GEMM needs the CPU accelerator, got {device.Kind} ({device.Info.Name}).", nameof(device));
        _device = device;
        _kernel = HostMicroKernel.Best(allowVector512);
        if (allowRows10 && _kernel.Mr == HostMicroKernel512.Mr && _kernel.Nr == HostMicroKernel512.Nr) _fewRows = HostMicroKernel.Avx512Rows10;
        _workspaces = new HostGemmWorkspace?[cores ?? HostParallel.Cores];
    }

    /// <inheritdoc />
    public string Name => _kernel.Name;

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc) =>
        Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default);

    /// <summary>
    /// <see cref="Gemm(bool, bool, int, int, int, float, ArrayView{float}, int, ArrayView{float}, int, float, ArrayView{float}, int)"/>
    /// followed by <c>C[i, j] += bias[j]</c>, fused into the GEMM's last pass over each tile of C; the
    /// same values as the GEMM and then a bias add. An empty <paramref name="bias"/> adds nothing.
    /// </summary>
    /// <exception cref="ArgumentException">As the GEMM, or <paramref name="bias"/> is neither empty nor n long.</exception>
    internal void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc, ArrayView<float> bias)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (bias.Length != 0 && bias.Length != n)
            throw new ArgumentException($"the bias has {bias.Length} values; C has n = {n} columns", nameof(bias));
        if (m == 0 || n == 0) return;
        _device.Synchronize();
        float* pc = HostPointer(c, "C");
        float* pbias = bias.Length == 0 ? null : HostPointer(bias, "bias");
        if (k == 0 || alpha == 0f)
        {
            ScaleC(pc, ldc, m, n, beta, pbias);
            return;
        }
        var call = new HostGemmCall(transA, transB, k, alpha, HostPointer(a, "A"), lda, HostPointer(b, "B"), ldb, beta, pc, ldc, pbias);
        RunParallel(call, m, n);
    }

    private void RunParallel(HostGemmCall call, int m, int n)
    {
        var kernel = KernelFor(m);
        long flops = 2L * m * n * call.K;
        int tilesM = (m + kernel.Mr - 1) / kernel.Mr, tilesN = (n + kernel.Nr - 1) / kernel.Nr;
        bool splitRows = tilesM >= tilesN;
        int tiles = splitRows ? tilesM : tilesN, unit = splitRows ? kernel.Mr : kernel.Nr, extent = splitRows ? m : n;
        int cores = _workspaces.Length;
        int wanted = flops < ParallelFlops || cores == 1 ? 1 : (int)Math.Clamp(flops / MinChunkFlops, cores, cores * ChunksPerCore);
        int used = Math.Min(wanted, tiles);
        int step = (tiles + used - 1) / used * unit;
        int chunks = (extent + step - 1) / step;
        // Row rectangles all multiply by the whole of B: pack it once for all of them rather than once
        // per rectangle (PTB's softmax input gradient: 8 MB of B for 50-row rectangles).
        float* packedB = splitRows && chunks > 1 ? PackWholeB(call.TransB, call.B, call.Ldb, call.K, n) : null;
        // Column rectangles all multiply the whole of A: when it is one block of rows, pack it once
        // too (a dense layer's batch rows, 50 x 3136, were packed again by each of 8 rectangles).
        float* packedA = !splitRows && chunks > 1 && m <= kernel.Mc ? PackWholeA(call, m, kernel) : null;
        ForBlocks(chunks, flops, (i, ws) =>
        {
            int start = i * step, count = Math.Min(step, extent - start);
            if (splitRows) HostGemmDriver.Run(call, start, count, 0, n, kernel, ws, packedB);
            else HostGemmDriver.Run(call, 0, m, start, count, kernel, ws, packedA: packedA);
        });
    }

    /// <summary>
    /// The register tile for a product of <paramref name="m"/> rows: 10 x 32 where m fits one A block
    /// of it and pads fewer rows than 8 x 32 does (50 rows: 50 against 56), else the engine's kernel.
    /// </summary>
    private HostMicroKernel KernelFor(int m) =>
        _fewRows is { } rows10 && m <= rows10.Mc
        && HostGemmPacking.PaddedColumns(m, rows10.Mr) < HostGemmPacking.PaddedColumns(m, _kernel.Mr) ? rows10 : _kernel;

    /// <summary>
    /// Packs all of alpha op(A) (m x k) once into a buffer this engine owns, as the driver would pack
    /// it block by block: the Kc slice starting at p lies at p * PaddedColumns(m, Mr) floats, its
    /// rows in strips of Mr. Null when A is larger than <see cref="WholeAFloats"/>. Valid until the next call.
    /// </summary>
    private float* PackWholeA(HostGemmCall call, int m, HostMicroKernel kernel)
    {
        int padded = HostGemmPacking.PaddedColumns(m, kernel.Mr), kc = kernel.Kc, mr = kernel.Mr;
        long floats = (long)call.K * padded;
        if (floats > WholeAFloats) return null;
        if (floats > _wholeAFloats)
        {
            NativeMemory.AlignedFree(_wholeA);
            _wholeA = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
            _wholeAFloats = floats;
        }
        float* dst = _wholeA;
        ForBlocks((call.K + kc - 1) / kc, floats >= ParallelPackFloats ? ParallelFlops : 0, (slice, _) =>
        {
            int p0 = slice * kc;
            HostGemmPacking.PackA(call.TransA, call.A, call.Lda, 0, p0, m, Math.Min(kc, call.K - p0), call.Alpha, mr, dst + (nint)p0 * padded);
        });
        return _wholeA;
    }

    /// <summary>The micro-kernel (and so the blocking) this engine runs.</summary>
    internal HostMicroKernel Kernel => _kernel;

    /// <summary>
    /// Packs all of op(B) (k x n) once into a buffer this engine owns, for a caller that multiplies
    /// block after block of rows by it (<see cref="HostGemmDriver.Run"/>'s packedB), as the driver
    /// would pack it slice by slice: the Kc slice starting at p lies at p * PaddedColumns(n, Nr) floats.
    /// Null when n is wider than one panel (the driver then packs per block). Valid until the next call.
    /// </summary>
    internal float* PackWholeB(bool transB, float* b, nint ldb, int k, int n)
    {
        if (n > _kernel.Nc) return null;
        long floats = (long)k * HostGemmPacking.PaddedColumns(n, _kernel.Nr);
        if (floats > _wholeBFloats)
        {
            NativeMemory.AlignedFree(_wholeB);
            _wholeB = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
            _wholeBFloats = floats;
        }
        // Kc slices are packed independently, on every core once B is large enough to be worth it.
        float* dst = _wholeB;
        int padded = HostGemmPacking.PaddedColumns(n, _kernel.Nr), kc = _kernel.Kc, nr = _kernel.Nr;
        ForBlocks((k + kc - 1) / kc, floats >= ParallelPackFloats ? ParallelFlops : 0, (slice, _) =>
        {
            int p0 = slice * kc;
            HostGemmPacking.PackB(transB, b, ldb, p0, 0, Math.Min(kc, k - p0), n, nr, dst + (nint)p0 * padded);
        });
        return _wholeB;
    }

    /// <summary>
    /// Runs <paramref name="body"/>(block, workspace) for blocks 0 .. blocks-1 on up to one worker per
    /// core, each worker with its own workspace, taking the next block as it finishes one (a
    /// descheduled vCPU delays only its own block); in order on one thread when the whole job is
    /// under <see cref="ParallelFlops"/>. Blocks must write disjoint memory.
    /// </summary>
    internal void ForBlocks(int blocks, long flops, Action<int, HostGemmWorkspace> body)
    {
        int workers = flops < ParallelFlops ? 1 : Math.Min(blocks, _workspaces.Length);
        if (workers <= 1)
        {
            var ws = _workspaces[0] ??= NewWorkspace();
            for (int block = 0; block < blocks; block++) body(block, ws);
            return;
        }
        int next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var ws = _workspaces[w] ??= NewWorkspace();
            for (int block = Interlocked.Increment(ref next); block < blocks; block = Interlocked.Increment(ref next)) body(block, ws);
        });
    }

    private HostGemmWorkspace NewWorkspace() =>
        _fewRows is { } rows10 ? new HostGemmWorkspace(_kernel, rows10) : new HostGemmWorkspace(_kernel);

    private static void ScaleC(float* c, nint ldc, int m, int n, float beta, float* bias)
    {
        for (int r = 0; r < m; r++)
        {
            var row = new Span<float>(c + r * ldc, n);
            if (beta == 0f) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
            if (bias != null) TensorPrimitives.Add(row, new ReadOnlySpan<float>(bias, n), row);
        }
    }

    /// <summary>The host address of a view, which must live on a CPU accelerator (checked, not assumed).</summary>
    private static float* HostPointer(ArrayView<float> view, string name) => Host.HostMemory.Pointer(view, $"GEMM {name}: the host GEMM");

    /// <summary>Frees the packing workspaces.</summary>
    public void Dispose()
    {
        NativeMemory.AlignedFree(_wholeA);
        NativeMemory.AlignedFree(_wholeB);
        _wholeA = _wholeB = null;
        _wholeAFloats = _wholeBFloats = 0;
        for (int i = 0; i < _workspaces.Length; i++)
        {
            _workspaces[i]?.Dispose();
            _workspaces[i] = null;
        }
    }
}
