using System.Diagnostics;
using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Saves the training state every <c>saveEvery</c> steps and after the last step, and logs how long
/// each save held the training thread. Saves are synchronous for now; the stall is what the
/// asynchronous pipeline will remove.
/// </summary>
public sealed class CheckpointObserver : ITrainingObserver
{
    private readonly TrainingCheckpoint _checkpoint;
    private readonly string _prefix;
    private readonly int _saveEvery;
    private readonly SummaryWriter? _log;
    private readonly Action<string> _report;
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

    /// <inheritdoc />
    public void OnStep(Trainer trainer, float loss, double stepsPerSecond)
    {
        if (_saveEvery > 0 && trainer.GlobalStep % _saveEvery == 0) Save(trainer);
    }

    /// <inheritdoc />
    public void OnEvaluation(Trainer trainer, double accuracy) { }

    /// <inheritdoc />
    public void OnFinish(Trainer trainer)
    {
        if (_lastSaved != trainer.GlobalStep) Save(trainer);
    }

    private void Save(Trainer trainer)
    {
        var timer = Stopwatch.StartNew();
        LastCheckpoint = _checkpoint.Save(_prefix);
        double ms = timer.Elapsed.TotalMilliseconds;
        _lastSaved = trainer.GlobalStep;
        _log?.Scalar("checkpoint/stall_ms", (float)ms, trainer.GlobalStep);
        _report($"saved {LastCheckpoint} ({ms:F0} ms)");
    }
}
