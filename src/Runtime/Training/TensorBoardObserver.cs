using GpuTrain.Logging;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Logs a run for TensorBoard: the model graph once, then loss, learning rate and steps/s every step,
/// held-out accuracy at each evaluation, and weight and gradient histograms every
/// <c>histogramEvery</c> steps. On a resumed run it first writes a session start at the resumed step,
/// so TensorBoard drops the interrupted run's points from there on.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    private readonly SummaryWriter _writer;
    private readonly int _histogramEvery;

    /// <summary>Logs into <paramref name="writer"/>; <paramref name="histogramEvery"/> 0 turns histograms off.</summary>
    public TensorBoardObserver(SummaryWriter writer, Trainer trainer, int histogramEvery)
    {
        if (histogramEvery < 0) throw new ArgumentException($"--histogram-every must not be negative; got {histogramEvery}");
        _writer = writer;
        _histogramEvery = histogramEvery;
        _writer.Start(trainer.GlobalStep);
        _writer.Graph(ModelGraph.Of(trainer.Model));
    }

    /// <inheritdoc />
    public void OnStep(Trainer trainer, float loss, double stepsPerSecond)
    {
        long step = trainer.GlobalStep;
        _writer.Scalar("loss", loss, step);
        _writer.Scalar("learning_rate", trainer.Optimizer.LearningRate.At(step - 1), step);
        _writer.Scalar("steps_per_second", (float)stepsPerSecond, step);
        if (_histogramEvery > 0 && step % _histogramEvery == 0)
            ParameterHistograms.Log(_writer, trainer.Model.Parameters, trainer.Model.Gradients, step);
    }

    /// <inheritdoc />
    public void OnEvaluation(Trainer trainer, double accuracy) =>
        _writer.Scalar("accuracy", (float)accuracy, trainer.GlobalStep);

    /// <inheritdoc />
    public void OnFinish(Trainer trainer) => _writer.Flush();
}
