using System.Globalization;
using GpuTrain.Runtime.Text;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Examples.Word2Vec;

/// <summary>
/// The word2vec_basic tutorial's reporting, as an observer of the training loop: the average loss
/// every <see cref="ReportEvery"/> steps and at the end (with steps/s; TensorBoard gets
/// <c>average_loss</c> and <c>steps_per_second</c>), and the nearest words of the probe words every
/// <see cref="EvalEvery"/> steps and at the end. The summary gets <c>first_average_loss</c>,
/// <c>average_loss</c> and every report (<c>reports</c>).
/// </summary>
/// <param name="model">The model whose embeddings are probed.</param>
/// <param name="vocabulary">Names of the embedding rows.</param>
public sealed class SkipGramReport(SkipGramNce model, Vocabulary vocabulary) : ITrainingObserver
{
    private readonly List<AverageLossReport> _reports = [];
    private double _windowLoss;
    private int _windowSteps;

    /// <summary>Steps per average-loss report (the tutorial's 2000).</summary>
    public int ReportEvery
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ReportEvery), value, "must be positive");
    } = 2000;

    /// <summary>Steps between nearest-word reports (the tutorial's 10000); 0: only at the end.</summary>
    public int EvalEvery
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(EvalEvery), value, "must not be negative");
    } = 10000;

    /// <summary>Words whose neighbours are reported (those outside the vocabulary are skipped).</summary>
    public IReadOnlyList<string> Probes { get; init; } = ["one", "two", "three", "four", "five", "king", "water", "house"];

    /// <summary>Neighbours reported per probe word.</summary>
    public int Top { get; init; } = 8;

    /// <inheritdoc />
    public void OnStep(TrainingRun run)
    {
        long step = run.GlobalStep;
        _windowLoss += run.Loss;
        _windowSteps++;
        if (step % ReportEvery == 0 || step == run.TargetStep)
        {
            double average = _windowLoss / _windowSteps;
            _reports.Add(new AverageLossReport(step, _windowSteps, average));
            run.Report(string.Create(CultureInfo.InvariantCulture,
                $"Average loss at step {step}: {average:F4} ({run.StepsPerSecond:F0} steps/s)"));
            run.Scalar("average_loss", average);
            run.Scalar("steps_per_second", run.StepsPerSecond);
            _windowLoss = 0;
            _windowSteps = 0;
        }
        if (step == run.TargetStep || (EvalEvery > 0 && step % EvalEvery == 0)) ReportNeighbours(run);
    }

    /// <inheritdoc />
    public void OnFinish(TrainingRun run)
    {
        run.Results["first_average_loss"] = _reports.Count > 0 ? _reports[0].Loss : double.NaN;
        run.Results["average_loss"] = _reports.Count > 0 ? _reports[^1].Loss : double.NaN;
        run.Results["reports"] = _reports.ToArray();
    }

    private void ReportNeighbours(TrainingRun run)
    {
        var nearest = new NearestWords(vocabulary, model.Parameters.Download(model.Embeddings), model.EmbeddingSize);
        foreach (string probe in Probes.Where(p => vocabulary.IdOf(p) is not null))
            run.Report($"Nearest to {probe}: {string.Join(", ", nearest.Of(probe, Top).Select(n => n.Word))}");
    }
}
