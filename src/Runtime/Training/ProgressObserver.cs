namespace GpuTrain.Runtime.Training;

/// <summary>
/// Shows the run's progress line (<see cref="ConsoleProgress"/>) after every step, with the steps/s
/// and ETA of the last ten seconds of training (<see cref="RecentRate"/>), and closes it at the end.
/// </summary>
/// <param name="progress">Where the line goes.</param>
public sealed class ProgressObserver(ConsoleProgress progress) : ITrainingObserver
{
    private readonly RecentRate _rate = new();

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        _rate.Add(run.StepsTaken, run.TrainingSeconds);
        progress.Step(run.GlobalStep, run.TargetStep, run.Loss, _rate.PerSecond);
    }

    /// <inheritdoc />
    public void OnFinish(TrainingRun run) => progress.Finish();
}
