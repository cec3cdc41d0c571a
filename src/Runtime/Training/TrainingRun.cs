namespace GpuTrain.Runtime.Training;

/// <summary>
/// A run in progress as its observers see it: the trainer, the target step, the last step's loss
/// and throughput, the data's epoch, and the channels observers share: report lines, scalars (which
/// a TensorBoard observer logs) and the results that go into the <see cref="RunSummary"/>.
/// </summary>
public sealed class TrainingRun
{
    private readonly IReadOnlyList<ITrainingObserver> _observers;
    private readonly Action<string> _report;
    private readonly Func<string, IProgress<(long Done, long Total)>> _phase;

    internal TrainingRun(ITrainer trainer, long targetStep, IReadOnlyList<ITrainingObserver> observers, Action<string> report,
        Func<string, IProgress<(long Done, long Total)>> phase)
    {
        Trainer = trainer;
        TargetStep = targetStep;
        StartStep = trainer.GlobalStep;
        _observers = observers;
        _report = report;
        _phase = phase;
    }

    /// <summary>The step owner.</summary>
    public ITrainer Trainer { get; }

    /// <summary>The global step now.</summary>
    public long GlobalStep => Trainer.GlobalStep;

    /// <summary>The global step the run started at (after a restore, the restored one).</summary>
    public long StartStep { get; }

    /// <summary>The global step the run trains to.</summary>
    public long TargetStep { get; }

    /// <summary>The epoch being trained (in <see cref="ITrainingObserver.OnEpochEnd"/>: the one that just ended).</summary>
    public long Epoch { get; internal set; }

    /// <summary>The loss of the last step (NaN before the first).</summary>
    public float Loss { get; internal set; } = float.NaN;

    /// <summary>Steps taken in this run.</summary>
    public long StepsTaken { get; internal set; }

    /// <summary>Steps per second of training so far in this run (batch generation included).</summary>
    public double StepsPerSecond { get; internal set; }

    /// <summary>Seconds spent in this run's steps so far (batch generation included; evaluations and saves not).</summary>
    public double TrainingSeconds { get; internal set; }

    /// <summary>What checkpointing cost, set by the checkpoint observer.</summary>
    public CheckpointStats? Checkpoints { get; set; }

    /// <summary>The newest checkpoint the run has written, set by the checkpoint observer at the end.</summary>
    public string? LatestCheckpoint { get; set; }

    /// <summary>Named results for the summary (<c>eval_accuracy</c>, <c>valid_perplexities</c>, ...), snake_case keys.</summary>
    public Dictionary<string, object> Results { get; } = [];

    /// <summary>Prints a line for the user (below a live progress bar).</summary>
    public void Report(string line) => _report(line);

    /// <summary>Shows a long phase (an evaluation pass) to the user; report (units done, total units) to the result.</summary>
    public IProgress<(long Done, long Total)> Phase(string name) => _phase(name);

    /// <summary>Hands a scalar at the current global step to every observer (TensorBoard logs it).</summary>
    public void Scalar(string tag, double value)
    {
        foreach (var o in _observers) o.OnScalar(this, tag, (float)value);
    }
}
