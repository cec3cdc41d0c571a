namespace GpuTrain.Persistence.Saving;

/// <summary>The options of tf.train.Saver that GpuTrain keeps, with TF's defaults.</summary>
public sealed record SaverOptions
{
    /// <summary>Newest checkpoints to keep; older ones are deleted. 0 keeps everything (and lists only the latest).</summary>
    public int MaxToKeep { get; init; } = 5;

    /// <summary>Additionally keep one checkpoint per this many hours of training.</summary>
    public double KeepCheckpointEveryNHours { get; init; } = 10000.0;

    /// <summary>Format the step as 8 digits (<c>model-00001000</c>).</summary>
    public bool PadStepNumber { get; init; }

    /// <summary>The state file's name in the checkpoint directory.</summary>
    public string LatestFilename { get; init; } = State.CheckpointStateFile.DefaultName;

    /// <summary>Update the state file after each save.</summary>
    public bool WriteState { get; init; } = true;

    /// <summary>Write paths in the state file relative to its directory, so the directory can be moved.</summary>
    public bool SaveRelativePaths { get; init; } = true;

    /// <summary>Data files per checkpoint: 1 to <see cref="MaxShards"/>, and at most one per tensor.</summary>
    public int NumShards { get; init; } = 1;

    /// <summary>
    /// The checkpoint <see cref="Saver.RestoreNewestIntact"/> restores instead of the folder's newest: a
    /// deliberate branch from an older step (the newer checkpoints are kept, never overwritten). Null: the newest.
    /// </summary>
    public string? RestoreFrom { get; init; }

    /// <summary>The most data files a checkpoint may have: TensorFlow names shards with 5 digits (<c>data-00000-of-00001</c>).</summary>
    public const int MaxShards = 99999;
}
