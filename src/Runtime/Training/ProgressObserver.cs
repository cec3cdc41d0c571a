namespace GpuTrain.Runtime.Training;

/// <summary>Shows the run's progress line (<see cref="ConsoleProgress"/>) after every step and closes it at the end.</summary>
/// <param name="progress">Where the line goes.</param>
public sealed class ProgressObserver(ConsoleProgress progress) : ITrainingObserver
{
    /// <inheritdoc />
    public void OnStep(TrainingRun run) => progress.Step(run.GlobalStep, run.TargetStep, run.Loss, run.StepsPerSecond);

    /// <inheritdoc />
    public void OnFinish(TrainingRun run) => progress.Finish();
}
