namespace GpuTrain.Persistence.State;

/// <summary>
/// The contents of a directory's <c>checkpoint</c> file (TF's CheckpointState proto): the newest
/// checkpoint, the kept ones oldest first, and optionally their save times.
/// </summary>
public sealed record CheckpointState
{
    /// <summary>The newest checkpoint prefix, as written (relative to the directory or absolute).</summary>
    public required string ModelCheckpointPath { get; init; }

    /// <summary>Kept checkpoints, oldest first; the last one equals <see cref="ModelCheckpointPath"/>.</summary>
    public IReadOnlyList<string> AllModelCheckpointPaths { get; init; } = [];

    /// <summary>Unix seconds of each kept checkpoint (empty, or one per path).</summary>
    public IReadOnlyList<double> AllModelCheckpointTimestamps { get; init; } = [];

    /// <summary>Unix seconds of the last checkpoint kept by the keep-every-N-hours rule, if any.</summary>
    public double? LastPreservedTimestamp { get; init; }
}
