using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// A float32 slice of an arena as the background writer sees it: saving reads the value captured
/// in <see cref="ArenaStaging"/> (never the live device buffer, which training keeps changing), and
/// hands the saver those bytes to write as they are; restoring writes straight into the arena, as
/// <see cref="ArenaVariable"/> does.
/// </summary>
internal sealed class StagedArenaVariable : ICapturedCheckpointVariable
{
    private readonly ArenaStaging _staging;
    private readonly ParameterArena _arena;
    private readonly ArenaSlice _slice;
    private readonly ArenaVariable _live;

    /// <summary>The slice <paramref name="slice"/> of <paramref name="arena"/> under the checkpoint name <paramref name="name"/>.</summary>
    public StagedArenaVariable(ArenaStaging staging, ParameterArena arena, ArenaSlice slice, string name)
    {
        _staging = staging;
        _arena = arena;
        _slice = slice;
        _live = new ArenaVariable(arena, slice, name);
    }

    /// <inheritdoc />
    public string Name => _live.Name;

    /// <inheritdoc />
    public DataType DType => _live.DType;

    /// <inheritdoc />
    public IReadOnlyList<long> Shape => _live.Shape;

    /// <inheritdoc />
    public byte[] CapturedBytes() => _staging.CapturedBytes(_arena, _slice);

    /// <inheritdoc />
    public void ReadInto(Span<byte> destination) => CapturedBytes().CopyTo(destination);

    /// <inheritdoc />
    public void WriteFrom(ReadOnlySpan<byte> source) => _live.WriteFrom(source);
}
