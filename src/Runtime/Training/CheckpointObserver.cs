using GpuTrain.Logging;
using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Saves the training state every <c>saveEvery</c> steps and after the last step, in the background
/// (<see cref="TrainingCheckpoint.SaveInBackground"/>), and reports each save: the stall it caused on
/// the training thread, the staging copy, the background write time and throughput, as TensorBoard
/// scalars under <c>checkpoint/</c> and one line each. A failed save is reported with its cause and
/// training goes on (the previous checkpoint stays the latest; the next save tries again); only a
/// failure of the final save, which nothing would retry, ends the run with an error.
/// </summary>
public sealed class CheckpointObserver : ITrainingObserver
{
    private readonly TrainingCheckpoint _checkpoint;
    private readonly string _prefix;
    private readonly int _saveEvery;
    private readonly SummaryWriter? _log;
    private readonly Action<string> _report;
    private readonly List<SaveStart> _starts = [];
    private readonly List<SaveOutcome> _written = [];
    private int _failed;
    private long _lastSaved = -1;

    /// <summary>Saves to <c>prefix-STEP</c>; <paramref name="report"/> receives one line per save.</summary>
    public CheckpointObserver(TrainingCheckpoint checkpoint, string prefix, int saveEvery, SummaryWriter? log, Action<string> report)
    {
        if (saveEvery < 0) throw new ArgumentException($"--save-every must not be negative; got {saveEvery}");
        _checkpoint = checkpoint;
        _prefix = prefix;
        _saveEvery = saveEvery;
        _log = log;
        _report = report;
    }

    /// <summary>The prefix of the last checkpoint written, if any.</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>What checkpointing has cost so far.</summary>
    public CheckpointStats Stats => new(_written.Count, _failed, _checkpoint.Bytes,
        Mean(_starts.Select(s => s.StallMs)), _starts.Count == 0 ? 0 : _starts.Max(s => s.StallMs),
        Mean(_starts.Select(s => s.CopyMs)), Mean(_written.Select(w => w.WriteMs)), Mean(_written.Select(w => w.MegabytesPerSecond)));

    /// <inheritdoc />
    public void OnStep(Trainer trainer, float loss, double stepsPerSecond)
    {
        if (_saveEvery > 0 && trainer.GlobalStep % _saveEvery == 0) Start(trainer);
    }

    /// <inheritdoc />
    public void OnEvaluation(Trainer trainer, double accuracy) { }

    /// <inheritdoc />
    /// <exception cref="IOException">The final save failed.</exception>
    public void OnFinish(Trainer trainer)
    {
        if (_lastSaved != trainer.GlobalStep) Start(trainer);
        if (_checkpoint.WaitForSave() is { } last && !Report(last, final: true))
            throw new IOException($"{last.Error!.Message}; the run's final state is not saved (latest intact checkpoint: {LastCheckpoint ?? "none"})", last.Error);
    }

    private void Start(Trainer trainer)
    {
        var start = _checkpoint.SaveInBackground(_prefix);
        _lastSaved = start.Step;
        _starts.Add(start);
        _log?.Scalar("checkpoint/stall_ms", (float)start.StallMs, start.Step);
        _log?.Scalar("checkpoint/copy_ms", (float)start.CopyMs, start.Step);
        if (start.Previous is { } previous) Report(previous);
    }

    /// <summary>Logs and reports a finished save; returns whether it succeeded (a failed final save is left to the caller to report).</summary>
    private bool Report(SaveOutcome outcome, bool final = false)
    {
        if (!outcome.Succeeded)
        {
            _failed++;
            _log?.Scalar("checkpoint/failed", 1f, outcome.Step);
            if (!final) _report($"error: {outcome.Error!.Message}; the latest intact checkpoint is still {LastCheckpoint ?? "none"}; training goes on and the next save tries again");
            return false;
        }
        _written.Add(outcome);
        LastCheckpoint = outcome.Prefix;
        _log?.Scalar("checkpoint/write_ms", (float)outcome.WriteMs, outcome.Step);
        _log?.Scalar("checkpoint/mb_per_s", (float)outcome.MegabytesPerSecond, outcome.Step);
        double stall = _starts.LastOrDefault(s => s.Step == outcome.Step)?.StallMs ?? 0;
        _report($"saved {outcome.Prefix} ({outcome.Bytes / 1e6:F1} MB written in the background in {outcome.WriteMs:F0} ms, " +
                $"{outcome.MegabytesPerSecond:F0} MB/s; training stalled {stall:F1} ms)");
        return true;
    }

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : list.Average();
    }
}
