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

    public HostGemmWorkspace(HostMicroKernel kernel)
    {
        PackedA = Allocate(kernel.Mc * kernel.Kc);
        PackedB = Allocate(kernel.Kc * kernel.Nc);
        Edge = Allocate(kernel.Mr * kernel.Nr);
    }

    /// <summary>The packed A block, Mc x Kc.</summary>
    public float* PackedA { get; private set; }

    /// <summary>The packed B panel, Kc x Nc.</summary>
    public float* PackedB { get; private set; }

    /// <summary>A scratch register tile for the ragged edges of C.</summary>
    public float* Edge { get; private set; }

    private static float* Allocate(int floats) => (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), Alignment);

    public void Dispose()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(Edge);
        PackedA = PackedB = Edge = null;
    }
}
