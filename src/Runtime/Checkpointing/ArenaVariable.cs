using System.Runtime.InteropServices;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Tensors;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// One named float32 slice of a <see cref="ParameterArena"/> seen as a checkpoint variable: the bridge
/// that lets Persistence save and restore device tensors without knowing about arenas or layers.
/// </summary>
internal sealed class ArenaVariable : ICheckpointVariable
{
    private readonly ParameterArena _arena;
    private readonly ArenaSlice _slice;

    /// <summary>The slice <paramref name="slice"/> of <paramref name="arena"/> under the checkpoint name <paramref name="name"/>.</summary>
    public ArenaVariable(ParameterArena arena, ArenaSlice slice, string name)
    {
        _arena = arena;
        _slice = slice;
        Name = name;
        Shape = slice.Shape.ToLongArray();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public DataType DType => DataType.DtFloat;

    /// <inheritdoc />
    public IReadOnlyList<long> Shape { get; }

    /// <inheritdoc />
    public void ReadInto(Span<byte> destination) =>
        _arena.ViewOf(_slice).CopyToCPU(MemoryMarshal.Cast<byte, float>(destination));

    /// <inheritdoc />
    public void WriteFrom(ReadOnlySpan<byte> source) =>
        _arena.Upload(_slice, MemoryMarshal.Cast<byte, float>(source));
}
