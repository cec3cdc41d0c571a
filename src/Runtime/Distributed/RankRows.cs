using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// Host state kept per batch row (the LSTM state a language model carries from batch to batch, one
/// row per stream), of which each data-parallel rank holds its share's rows: rank r of N the rows
/// [r x b, (r + 1) x b) of the global batch's N x b. In the checkpoint it is the global batch's, as one
/// process writes it, under the same names: a capture gathers every rank's rows (a collective: every
/// rank captures at the same step, as every rank saves), a restore gives each rank its rows back. So
/// a checkpoint written by N ranks resumes in one process or in M ranks, and the other way round.
/// </summary>
public sealed class RankRows : IHostState
{
    private readonly IHostState _local;
    private readonly Communicator _world;
    private readonly HostVariable<float>[] _mine;
    private readonly HostVariable<float>[] _global;

    /// <summary>The global batch's rows of <paramref name="local"/>'s variables (float, [b, ...] each, b this rank's rows).</summary>
    /// <exception cref="ArgumentException">A variable of <paramref name="local"/> is not a float host variable with a row dimension.</exception>
    public RankRows(IHostState local, Communicator world)
    {
        _local = local;
        _world = world;
        _mine = local.HostVariables.Select(v => v as HostVariable<float> is { Shape.Count: >= 1 } rows ? rows
            : throw new ArgumentException($"'{v.Name}' is not a float host variable with a row dimension", nameof(local))).ToArray();
        _global = _mine.Select(v => new HostVariable<float>(v.Name, v.DType, [v.Shape[0] * world.Size, .. v.Shape.Skip(1)])).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => _global;

    /// <inheritdoc />
    public void CaptureHostState()
    {
        _local.CaptureHostState();
        using var purpose = Communicator.For("gathering the carried state's rows for a checkpoint");
        for (int i = 0; i < _mine.Length; i++) _world.AllGather<float>(_mine[i].Values, _global[i].Values);
    }

    /// <inheritdoc />
    public void RestoreHostState()
    {
        for (int i = 0; i < _mine.Length; i++)
        {
            int length = _mine[i].Values.Length;
            _global[i].Values.AsSpan(_world.Rank * length, length).CopyTo(_mine[i].Values);
        }
        _local.RestoreHostState();
    }
}
