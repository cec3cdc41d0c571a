namespace GpuTrain.Runtime.Training;

/// <summary>What checkpointing cost a run (part of <c>--summary-json</c>).</summary>
/// <param name="Saves">Saves that were written and committed.</param>
/// <param name="Failed">Saves that failed (the run went on; the previous checkpoint stayed the latest).</param>
/// <param name="Bytes">Bytes of one checkpoint.</param>
/// <param name="MeanStallMs">Mean time a save held the training thread: starting it, plus the next update's wait for its staging copy.</param>
/// <param name="MaxStallMs">Longest such hold.</param>
/// <param name="MeanCopyMs">Mean time of the copy into the staging buffers (part of the stall).</param>
/// <param name="MeanWriteMs">Mean background write time (serialize, write, fsync, commit).</param>
/// <param name="MeanMegabytesPerSecond">Mean background write throughput.</param>
public sealed record CheckpointStats(int Saves, int Failed, long Bytes, double MeanStallMs, double MaxStallMs,
    double MeanCopyMs, double MeanWriteMs, double MeanMegabytesPerSecond);
