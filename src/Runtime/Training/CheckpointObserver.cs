using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The checkpoint cadence of any run: saves in the background every <c>saveEvery</c> steps, at the end
/// of each epoch when <see cref="SaveAtEpochEnd"/>, and after the last step (never twice at one step),
/// and reports each save through a <see cref="CheckpointReporter"/>: a failed save is reported and
/// training goes on; a failed final save ends the run with an error.
/// </summary>
public sealed class CheckpointObserver : ITrainingObserver
{
    private readonly Checkpoint _checkpoint;
    private readonly string _prefix;
    private readonly int _saveEvery;
    private readonly CheckpointReporter _reporter;

    /// <summary>Saves <paramref name="checkpoint"/> to <c>prefix-STEP</c>; <paramref name="report"/> receives one line per save.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="saveEvery"/> is negative.</exception>
    public CheckpointObserver(Checkpoint checkpoint, string prefix, int saveEvery, SummaryWriter? log, Action<string> report)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(saveEvery);
        _checkpoint = checkpoint;
        _prefix = prefix;
        _saveEvery = saveEvery;
        _reporter = new CheckpointReporter(checkpoint.Bytes, log, report);
    }

    /// <summary>Also save after the last step of every epoch.</summary>
    public bool SaveAtEpochEnd { get; init; }

    /// <summary>What checkpointing has cost so far.</summary>
    public CheckpointStats Stats => _reporter.Stats;

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        if (_saveEvery > 0 && run.GlobalStep % _saveEvery == 0) Save(run);
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
    }

    private void Save(TrainingRun run)
    {
        if (_reporter.LastStarted != run.GlobalStep) _reporter.Started(_checkpoint.SaveInBackground(_prefix));
    }
}
