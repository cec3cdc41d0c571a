using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The checkpoint cadence of any run: saves in the background every <c>saveEvery</c> steps, at the end
/// of each epoch when <see cref="SaveAtEpochEnd"/>, and after the last step (never twice at one step),
/// and reports each save through a <see cref="CheckpointReporter"/> as soon as it is durable (the
/// loop's report line, polled after every step): a failed save is reported and training goes on; a
/// failed final save ends the run with an error.
/// </summary>
public sealed class CheckpointObserver : ITrainingObserver
{
    private readonly Checkpoint _checkpoint;
    private readonly string _prefix;
    private readonly int _saveEvery;
    private readonly CheckpointReporter _reporter;
    private Action<string> _report = _ => { };

    /// <summary>Saves <paramref name="checkpoint"/> to <c>prefix-STEP</c>, one line per save through the loop's <see cref="TrainingLoop{TBatch}.Report"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="saveEvery"/> is negative.</exception>
    public CheckpointObserver(Checkpoint checkpoint, string prefix, int saveEvery, SummaryWriter? log)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(saveEvery);
        _checkpoint = checkpoint;
        _prefix = prefix;
        _saveEvery = saveEvery;
        _reporter = new CheckpointReporter(checkpoint.Bytes, log, line => _report(line));
    }

    /// <summary>Also save after the last step of every epoch.</summary>
    public bool SaveAtEpochEnd { get; init; }

    /// <summary>What checkpointing has cost so far.</summary>
    public CheckpointStats Stats => _reporter.Stats;

    /// <summary>The prefix of the newest checkpoint this run has written and found durable, if any.</summary>
    public string? LatestCheckpoint => _reporter.LastCheckpoint;

    /// <inheritdoc />
    public void OnStart(TrainingRun run) => _report = run.Report;

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        // This step's update is the first after the save: it waited for the save's staging copy.
        if (_reporter.LastStarted == run.GlobalStep - 1) _reporter.CaptureWaited(_checkpoint.CaptureWaitMs);
        if (_saveEvery > 0 && run.GlobalStep % _saveEvery == 0) Save(run);
        else if (_checkpoint.TakeFinishedSave() is { } ended) _reporter.Ended(ended);
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingRun run)
    {
        if (SaveAtEpochEnd) Save(run);
    }

    /// <inheritdoc />
    /// <exception cref="IOException">The final save failed.</exception>
    public void OnFinish(TrainingRun run)
    {
        Save(run);
        _reporter.Finished(_checkpoint.WaitForSave());
        run.Checkpoints = Stats;
        run.LatestCheckpoint = LatestCheckpoint;
    }

    private void Save(TrainingRun run)
    {
        if (_reporter.LastStarted != run.GlobalStep) _reporter.Started(_checkpoint.SaveInBackground(_prefix));
    }
}
