namespace GpuTrain.Logging.Writing;

/// <summary>
/// Counters of a <see cref="SummaryWriter"/>. BlockedCalls and BlockedTime show back-pressure: how often
/// and how long logging calls waited for room in the full queue (data is never dropped).
/// </summary>
/// <param name="Queued">Events handed to the writer.</param>
/// <param name="Written">Events written to the file (the file_version event excluded).</param>
/// <param name="BlockedCalls">Logging calls that found the queue full and waited.</param>
/// <param name="BlockedTime">Total time those calls waited.</param>
/// <param name="Lost">Events not written because the file could not be (disk full, I/O error).</param>
public readonly record struct EventWriterStats(long Queued, long Written, long BlockedCalls, TimeSpan BlockedTime, long Lost);
