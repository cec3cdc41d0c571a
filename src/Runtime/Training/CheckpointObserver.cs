using GpuTrain.Logging;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Saves the training state every <c>saveEvery</c> steps and after the last step, in the background
/// (<see cref="TrainingCheckpoint.SaveInBackground"/>), and reports each save through a
/// <see cref="CheckpointReporter"/>: a failed save is reported and training goes on; a failed final
/// save ends the run with an error.
/// </summary>
public sealed class CheckpointObserver : ITrainingObserver
{
    private readonly TrainingCheckpoint _checkpoint;
    private readonly string _prefix;
    private readonly int _saveEvery;
    private readonly CheckpointReporter _reporter;

    /// <summary>Saves to <c>prefix-STEP</c>; <paramref name="report"/> receives one line per save.</summary>
    public CheckpointObserver(TrainingCheckpoint checkpoint, string prefix, int saveEvery, SummaryWriter? log, Action<string> report)
    {
        if (saveEvery < 0) throw new ArgumentException($"--save-every must not be negative; got {saveEvery}");
        _checkpoint = checkpoint;
        _prefix = prefix;
        _saveEvery = saveEvery;
        _reporter = new CheckpointReporter(checkpoint.Bytes, log, report);
    }

    /// <summary>What checkpointing has cost so far.</summary>
    public CheckpointStats Stats => _reporter.Stats;

    /// <inheritdoc />
    public void OnStep(Trainer trainer, float loss, double stepsPerSecond)
    {
        if (_saveEvery > 0 && trainer.GlobalStep % _saveEvery == 0) _reporter.Started(_checkpoint.SaveInBackground(_prefix));
    }

    /// <inheritdoc />
    public void OnEvaluation(Trainer trainer, double accuracy) { }

    /// <inheritdoc />
    /// <exception cref="IOException">The final save failed.</exception>
    public void OnFinish(Trainer trainer)
    {
        if (_reporter.LastStarted != trainer.GlobalStep) _reporter.Started(_checkpoint.SaveInBackground(_prefix));
        _reporter.Finished(_checkpoint.WaitForSave());
    }
}
