using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// One rank's share of every global batch: the global source (the same on every rank, so the data
/// order does not depend on the number of ranks) yields N x b examples, and rank r takes examples
/// [r x b, (r + 1) x b). The cursor in the checkpoint is the global source's, the same on every rank.
/// <see cref="RankShare"/> makes the shares of the batch types GpuTrain's sources yield.
/// </summary>
/// <typeparam name="TBatch">The batch type.</typeparam>
public sealed class RankShare<TBatch> : IBatchSource<TBatch>
{
    private readonly IBatchSource<TBatch> _global;
    private readonly Func<TBatch, int, int, TBatch> _take;
    private readonly int _rank;

    /// <summary>
    /// Rank <paramref name="world"/>.Rank's share of <paramref name="global"/>'s batches;
    /// <paramref name="take"/>(batch, first, count) returns examples [first, first + count) of a global batch.
    /// </summary>
    /// <exception cref="ArgumentException">The global batch does not split evenly over the ranks.</exception>
    public RankShare(IBatchSource<TBatch> global, Communicator world, Func<TBatch, int, int, TBatch> take)
    {
        if (global.BatchSize % world.Size != 0)
            throw new ArgumentException(
                $"the global batch of {global.BatchSize} examples does not split evenly over {world.Size} ranks; choose a multiple of {world.Size}", "batchSize");
        _global = global;
        _take = take;
        _rank = world.Rank;
        RankBatch = global.BatchSize / world.Size;
    }

    /// <summary>The examples this rank trains on per step.</summary>
    public int RankBatch { get; }

    /// <summary>The global batch (throughput figures count every rank's examples).</summary>
    public int BatchSize => _global.BatchSize;

    /// <inheritdoc />
    public long Epoch => _global.Epoch;

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => _global.HostVariables;

    /// <inheritdoc />
    public void CaptureHostState() => _global.CaptureHostState();

    /// <inheritdoc />
    public void RestoreHostState() => _global.RestoreHostState();

    /// <inheritdoc />
    public TBatch Next() => _take(_global.Next(), _rank * RankBatch, RankBatch);
}
