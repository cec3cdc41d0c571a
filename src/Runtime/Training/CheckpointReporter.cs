using GpuTrain.Logging;
using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Reports the background saves of a run, whatever the model: the stall each caused on the training
/// thread (starting it plus the next update's wait for its staging copy), the staging copy, the background write time and throughput, as TensorBoard scalars under
/// <c>checkpoint/</c> and one line each. A failed save is reported with its cause and training goes
/// on (the previous checkpoint stays the latest; the next save tries again); only a failure of the
/// final save, which nothing would retry, ends the run with an error.
/// </summary>
/// <param name="bytes">Bytes of one checkpoint.</param>
/// <param name="log">Where the scalars go, if anywhere.</param>
/// <param name="report">Receives one line per save.</param>
internal sealed class CheckpointReporter(long bytes, SummaryWriter? log, Action<string> report)
{
    private readonly List<SaveStart> _starts = [];
    private readonly List<SaveOutcome> _written = [];
    private int _failed;

    /// <summary>The prefix of the last checkpoint written, if any.</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>The step of the last save started, or -1.</summary>
    public long LastStarted { get; private set; } = -1;

    /// <summary>What checkpointing has cost so far.</summary>
    public CheckpointStats Stats => new(_written.Count, _failed, bytes,
        Mean(_starts.Select(s => s.StallMs)), _starts.Count == 0 ? 0 : _starts.Max(s => s.StallMs),
        Mean(_starts.Select(s => s.CopyMs)), Mean(_written.Select(w => w.WriteMs)), Mean(_written.Select(w => w.MegabytesPerSecond)));

    /// <summary>Records a save just started, and reports the previous one if it ended since it was last polled.</summary>
    public void Started(SaveStart start)
    {
        LastStarted = start.Step;
        _starts.Add(start);
        log?.Scalar("checkpoint/copy_ms", (float)start.CopyMs, start.Step);
        if (start.Previous is { } previous) Ended(previous);
    }

    /// <summary>
    /// Adds to the last save started what the update after it waited for that save's staging copy
    /// (<see cref="Checkpoint.CaptureWaitMs"/>): the copy overlaps the next forward and backward
    /// pass, so starting the save is only part of what it holds the training thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitMs"/> is negative.</exception>
    public void CaptureWaited(double waitMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(waitMs);
        if (_starts.Count == 0) return;
        var last = _starts[^1];
        _starts[^1] = last with { StallMs = last.StallMs + waitMs };
    }

    /// <summary>Reports a save that ended before the run's last (see <see cref="Finished"/>).</summary>
    public void Ended(SaveOutcome outcome) => Report(outcome, final: false);

    /// <summary>Reports the run's last save (<paramref name="last"/>: its outcome, null when none was in flight).</summary>
    /// <exception cref="IOException">The last save failed: the run's final state is not saved.</exception>
    public void Finished(SaveOutcome? last)
    {
        if (last is not null && !Report(last, final: true))
            throw new IOException($"{last.Error!.Message}; the run's final state is not saved (latest intact checkpoint: {LastCheckpoint ?? "none"})", last.Error);
    }

    /// <summary>Logs and reports a finished save; returns whether it succeeded (a failed final save is left to the caller to report).</summary>
    private bool Report(SaveOutcome outcome, bool final)
    {
        double stall = _starts.LastOrDefault(s => s.Step == outcome.Step)?.StallMs ?? 0;
        log?.Scalar("checkpoint/stall_ms", (float)stall, outcome.Step);
        if (!outcome.Succeeded)
        {
            _failed++;
            log?.Scalar("checkpoint/failed", 1f, outcome.Step);
            if (!final) report($"error: {outcome.Error!.Message}; the latest intact checkpoint is still {LastCheckpoint ?? "none"}; training goes on and the next save tries again");
            return false;
        }
        _written.Add(outcome);
        LastCheckpoint = outcome.Prefix;
        log?.Scalar("checkpoint/write_ms", (float)outcome.WriteMs, outcome.Step);
        log?.Scalar("checkpoint/mb_per_s", (float)outcome.MegabytesPerSecond, outcome.Step);
        report($"saved step {outcome.Step}: {outcome.Prefix} ({outcome.Bytes / 1e6:F1} MB written in the background in {outcome.WriteMs:F0} ms, " +
               $"{outcome.MegabytesPerSecond:F0} MB/s; training stalled {stall:F1} ms)");
        return true;
    }

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : list.Average();
    }
}
