using GpuTrain.Logging;
using GpuTrain.Logging.Graphs;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Logs a run for TensorBoard, whatever the model: a session start at the run's first step (so on
/// a resumed run TensorBoard drops the interrupted run's points from there on), the model's graph,
/// the <see cref="Scalars"/> every <see cref="ScalarEvery"/> steps, every scalar the observers record
/// (evaluations, checkpoint costs), and histograms of the parameters and, when dense, their gradients
/// every <see cref="HistogramEvery"/> steps.
/// </summary>
/// <param name="writer">The event file writer.</param>
public sealed class TensorBoardObserver(SummaryWriter writer) : ITrainingObserver
{
    /// <summary>The model's graph for the Graphs tab, if any.</summary>
    public IReadOnlyList<GraphNode>? Graph { get; init; }

    /// <summary>What is logged after a step.</summary>
    public IReadOnlyList<StepScalar> Scalars { get; init; } = [StepScalar.Loss, StepScalar.LearningRate, StepScalar.StepsPerSecond];

    /// <summary>Log <see cref="Scalars"/> every N steps.</summary>
    public int ScalarEvery { get; init; } = 1;

    /// <summary>Log histograms every N steps (0: never).</summary>
    public int HistogramEvery
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(HistogramEvery), value, "must not be negative");
    }

    /// <inheritdoc />
    public void OnStart(TrainingRun run)
    {
        writer.Start(run.GlobalStep);
        if (Graph is not null) writer.Graph(Graph);
    }

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        long step = run.GlobalStep;
        if (ScalarEvery > 0 && step % ScalarEvery == 0)
            foreach (var scalar in Scalars) writer.Scalar(scalar.Tag, scalar.Value(run), step);
        if (HistogramEvery > 0 && step % HistogramEvery == 0)
            ParameterHistograms.Log(writer, run.Trainer.Model.Parameters, run.Trainer.Model.Gradients, step);
    }

    /// <inheritdoc />
    public void OnScalar(TrainingRun run, string tag, float value) => writer.Scalar(tag, value, run.GlobalStep);

    /// <inheritdoc />
    /// <remarks>The summary gets <c>events_written</c> and <c>events_lost</c> (a full or failing log disk never stops a run, so the summary is where a script sees it).</remarks>
    public void OnFinish(TrainingRun run)
    {
        writer.Flush();
        run.Results["events_written"] = writer.Stats.Written;
        run.Results["events_lost"] = writer.Stats.Lost;
    }
}
