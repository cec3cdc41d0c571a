using System.Diagnostics;
using System.Globalization;
using GpuTrain.Logging;
using GpuTrain.Runtime.Text;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Word2Vec;

/// <summary>
/// The word2vec_basic tutorial's training loop: draw a skip-gram batch, take an NCE step, print the
/// average loss every <see cref="ReportEvery"/> steps and the nearest words of the probe words every
/// <see cref="EvalEvery"/> steps and at the end; TensorBoard gets the graph, the losses and, every
/// <see cref="HistogramEvery"/> steps, histograms of the tables. It runs until the model's global step reaches the
/// target, so a resumed run ends where the uninterrupted one would have.
/// </summary>
/// <param name="model">The model (continues from its <see cref="SkipGramNce.GlobalStep"/>).</param>
/// <param name="batches">The batch generator (continues from its cursor).</param>
/// <param name="vocabulary">Names of the embedding rows.</param>
public sealed class SkipGramTraining(SkipGramNce model, SkipGramBatcher batches, Vocabulary vocabulary)
{
    /// <summary>Steps per average-loss report (the tutorial's 2000).</summary>
    public int ReportEvery { get; init; } = 2000;

    /// <summary>Steps between nearest-word reports (the tutorial's 10000); 0: only at the end.</summary>
    public int EvalEvery { get; init; } = 10000;

    /// <summary>Words whose neighbours are reported (those outside the vocabulary are skipped).</summary>
    public IReadOnlyList<string> Probes { get; init; } = ["one", "two", "three", "four", "five", "king", "water", "house"];

    /// <summary>Neighbours reported per probe word.</summary>
    public int Top { get; init; } = 8;

    /// <summary>Where scalars go (loss every step, average loss and steps/s at each report), if anywhere.</summary>
    public SummaryWriter? Log { get; init; }

    /// <summary>Log histograms of the embeddings, NCE weights and biases every N steps (0: never).</summary>
    public int HistogramEvery { get; init; }

    /// <summary>Called after every step with the new global step (checkpointing).</summary>
    public Action<long>? AfterStep { get; init; }

    /// <summary>Trains until the global step is <paramref name="steps"/>; <paramref name="progress"/> receives the report lines.</summary>
    /// <exception cref="ArgumentException">Steps or a period is out of range.</exception>
    public SkipGramSummary Run(long steps, ConsoleProgress progress)
    {
        if (steps < 1) throw new ArgumentException($"--steps must be positive; got {steps}");
        if (ReportEvery < 1) throw new ArgumentException($"--report-every must be positive; got {ReportEvery}");
        if (EvalEvery < 0) throw new ArgumentException($"--eval-every must not be negative; got {EvalEvery}");
        var inputs = new int[model.BatchSize];
        var labels = new int[model.BatchSize];
        var total = Stopwatch.StartNew();
        var stepTime = new Stopwatch();
        double windowLoss = 0, firstAverage = double.NaN, average = double.NaN;
        int windowSteps = 0;
        long taken = 0;
        var reports = new List<AverageLossReport>();
        Log?.Graph(SkipGramGraph.Of(model));
        while (model.GlobalStep < steps)
        {
            stepTime.Start();
            batches.NextBatch(inputs, labels);
            float loss = model.Step(inputs, labels);
            stepTime.Stop();
            taken++;
            long step = model.GlobalStep;
            windowLoss += loss;
            windowSteps++;
            double stepsPerSecond = taken / stepTime.Elapsed.TotalSeconds;
            Log?.Scalar("loss", loss, step);
            progress.Step(step, steps, loss, stepsPerSecond);
            if (step % ReportEvery == 0 || step == steps)
            {
                average = windowLoss / windowSteps;
                if (double.IsNaN(firstAverage)) firstAverage = average;
                reports.Add(new AverageLossReport(step, windowSteps, average));
                progress.Message(string.Create(CultureInfo.InvariantCulture,
                    $"Average loss at step {step}: {average:F4} ({stepsPerSecond:F0} steps/s)"));
                Log?.Scalar("average_loss", (float)average, step);
                Log?.Scalar("steps_per_second", (float)stepsPerSecond, step);
                windowLoss = 0;
                windowSteps = 0;
            }
            if (step == steps || (EvalEvery > 0 && step % EvalEvery == 0)) ReportNeighbours(progress);
            if (Log is not null && HistogramEvery > 0 && step % HistogramEvery == 0) ParameterHistograms.Log(Log, model.Parameters, null, step);
            AfterStep?.Invoke(step);
        }
        progress.Finish();
        Log?.Flush();
        double seconds = Math.Max(stepTime.Elapsed.TotalSeconds, 1e-9);
        return new SkipGramSummary(model.Device.Info.Describe(), model.GlobalStep, model.BatchSize, firstAverage, average,
            taken / seconds, taken == 0 ? 0 : 1000 * seconds / taken, total.Elapsed.TotalSeconds, reports);
    }

    private void ReportNeighbours(ConsoleProgress progress)
    {
        var nearest = new NearestWords(vocabulary, model.Parameters.Download(model.Embeddings), model.EmbeddingSize);
        foreach (string probe in Probes.Where(p => vocabulary.IdOf(p) is not null))
            progress.Message($"Nearest to {probe}: {string.Join(", ", nearest.Of(probe, Top).Select(n => n.Word))}");
    }
}
