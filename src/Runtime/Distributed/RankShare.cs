using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// One rank's share of every global batch: the global source (the same on every rank, so the data
/// order does not depend on the number of ranks) yields N x b examples, and rank r takes examples
/// [r x b, (r + 1) x b). The cursor in the checkpoint is the global source's, the same on every rank.
/// </summary>
public sealed class RankShare : IBatchSource<LabeledBatch>
{
    private readonly IBatchSource<LabeledBatch> _global;
    private readonly int _rank;

    /// <summary>Rank <paramref name="world"/>.Rank's share of <paramref name="global"/>'s batches.</summary>
    /// <exception cref="ArgumentException">The global batch does not split evenly over the ranks.</exception>
    public RankShare(IBatchSource<LabeledBatch> global, Communicator world)
    {
        if (global.BatchSize % world.Size != 0)
            throw new ArgumentException(
                $"the global batch of {global.BatchSize} examples does not split evenly over {world.Size} ranks; choose a multiple of {world.Size}", "batchSize");
        _global = global;
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
    public LabeledBatch Next()
    {
        var batch = _global.Next();
        int imageSize = batch.Images.Length / batch.Labels.Length;
        return new LabeledBatch(
            batch.Images.Slice(_rank * RankBatch * imageSize, RankBatch * imageSize),
            batch.Labels.Slice(_rank * RankBatch, RankBatch));
    }
}
