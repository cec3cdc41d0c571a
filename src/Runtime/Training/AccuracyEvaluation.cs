using System.Globalization;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Models;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Held-out accuracy of a classifier every <c>every</c> steps and after the last step: reported as a
/// line, logged as the scalar <c>accuracy</c>, and kept as the summary's <c>eval_accuracy</c>.
/// </summary>
public sealed class AccuracyEvaluation : ITrainingObserver
{
    private readonly Sequential _network;
    private readonly ImageDataset _data;
    private readonly int _every, _batch;

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/> in chunks of <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is negative.</exception>
    public AccuracyEvaluation(Sequential network, ImageDataset data, int every, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(every);
        _network = network;
        _data = data;
        _every = every;
        _batch = batch;
    }

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        long step = run.GlobalStep;
        if (step != run.TargetStep && (_every == 0 || step % _every != 0)) return;
        double accuracy = ClassifierEvaluation.Accuracy(_network, _data.Pixels, _data.Labels, _batch, run.Phase($"held-out accuracy ({_data.Name})"));
        run.Report(string.Create(CultureInfo.InvariantCulture,
            $"step {step}: accuracy {accuracy:P2} on {_data.Count} held-out examples ({_data.Name})"));
        run.Scalar("accuracy", accuracy);
        run.Results["eval_accuracy"] = accuracy;
    }
}
