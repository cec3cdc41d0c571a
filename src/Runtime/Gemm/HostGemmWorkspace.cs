using System.Runtime.InteropServices;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// The packing buffers of one host GEMM worker, allocated once (64-byte aligned, native) and reused
/// by every call: fresh pages cost about 10 us each to touch on this kind of machine, so a GEMM
/// that allocated per call would spend more time faulting pages than multiplying.
/// </summary>
internal sealed unsafe class HostGemmWorkspace : IDisposable
{
    private const nuint Alignment = 64;

    /// <summary>Buffers large enough for the blocking of every one of <paramref name="kernels"/>.</summary>
    public HostGemmWorkspace(params ReadOnlySpan<HostMicroKernel> kernels)
    {
        int a = 0, b = 0, edge = 0;
        foreach (var kernel in kernels)
        {
            a = Math.Max(a, kernel.Mc * kernel.Kc);
            b = Math.Max(b, kernel.Kc * kernel.Nc);
            edge = Math.Max(edge, kernel.Mr * kernel.Nr);
        }
        PackedA = Allocate(a);
        PackedB = Allocate(b);
        Edge = Allocate(edge);
    }

    /// <summary>The packed A block, Mc x Kc.</summary>
    public float* PackedA { get; private set; }

    /// <summary>The packed B panel, Kc x Nc.</summary>
    public float* PackedB { get; private set; }

    /// <summary>A scratch register tile for the ragged edges of C.</summary>
    public float* Edge { get; private set; }

    private float* _block;
    private long _blockFloats;

    /// <summary>
    /// A buffer of at least <paramref name="floats"/> floats for a caller's operand block (a
    /// convolution's im2col rows), kept and grown, never shrunk, so that steady-state steps allocate nothing.
    /// </summary>
    public float* Block(long floats)
    {
        if (floats > _blockFloats)
        {
            NativeMemory.AlignedFree(_block);
            _block = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), Alignment);
            _blockFloats = floats;
        }
        return _block;
    }

    private static float* Allocate(int floats) => (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), Alignment);

    public void Dispose()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(Edge);
        NativeMemory.AlignedFree(_block);
        PackedA = PackedB = Edge = _block = null;
        _blockFloats = 0;
    }
}
