namespace GpuTrain.Runtime.Training;

/// <summary>A scalar a <see cref="TensorBoardObserver"/> logs after a step, under <paramref name="Tag"/>.</summary>
/// <param name="Tag">The TensorBoard tag.</param>
/// <param name="Value">Its value after the step.</param>
public sealed record StepScalar(string Tag, Func<TrainingRun, float> Value)
{
    /// <summary>The step's loss as <c>loss</c>.</summary>
    public static StepScalar Loss { get; } = new("loss", run => run.Loss);

    /// <summary>The learning rate the step used as <c>learning_rate</c>.</summary>
    public static StepScalar LearningRate { get; } = new("learning_rate", run => run.Trainer.Optimizer.LearningRate.At(run.GlobalStep - 1));

    /// <summary>Training throughput so far as <c>steps_per_second</c>.</summary>
    public static StepScalar StepsPerSecond { get; } = new("steps_per_second", run => (float)run.StepsPerSecond);
}
