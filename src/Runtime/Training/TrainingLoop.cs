using System.Diagnostics;
using System.Globalization;
using GpuTrain.Runtime.Data;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The step loop: draw a batch, <see cref="Trainer.Step"/>, report progress, evaluate on the held-out
/// set every <c>evalEvery</c> steps and at the end. Batch arrays are allocated once.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Runs <paramref name="steps"/> steps and returns the summary.</summary>
    /// <param name="trainer">The trainer (continues from its <see cref="Trainer.GlobalStep"/>).</param>
    /// <param name="batches">The training batches.</param>
    /// <param name="eval">The held-out set evaluated every <paramref name="evalEvery"/> steps and at the end.</param>
    /// <param name="steps">Steps to take.</param>
    /// <param name="evalEvery">Evaluation period in steps (0: only at the end).</param>
    /// <param name="progress">Where progress goes.</param>
    public static TrainingSummary Run(Trainer trainer, ShuffledBatcher batches, ImageDataset eval, int steps,
        int evalEvery, ConsoleProgress progress)
    {
        if (steps < 1) throw new ArgumentException($"--steps must be positive; got {steps}", nameof(steps));
        if (evalEvery < 0) throw new ArgumentException($"--eval-every must not be negative; got {evalEvery}", nameof(evalEvery));
        var images = new float[batches.BatchSize * eval.ImageSize];
        var labels = new int[batches.BatchSize];
        var total = Stopwatch.StartNew();
        var stepTime = new Stopwatch();
        float loss = float.NaN;
        double accuracy = double.NaN;
        for (int i = 1; i <= steps; i++)
        {
            batches.NextBatch(images, labels);
            stepTime.Start();
            loss = trainer.Step(images, labels);
            stepTime.Stop();
            progress.Step(i, steps, loss, i / stepTime.Elapsed.TotalSeconds);
            if (i == steps || (evalEvery > 0 && i % evalEvery == 0))
            {
                accuracy = trainer.Evaluate(eval.Pixels, eval.Labels, batches.BatchSize);
                progress.Message(string.Create(CultureInfo.InvariantCulture,
                    $"step {trainer.GlobalStep}: accuracy {accuracy:P2} on {eval.Count} held-out examples ({eval.Name})"));
            }
        }
        progress.Finish();
        double seconds = stepTime.Elapsed.TotalSeconds;
        return new TrainingSummary(trainer.Model.Device.Info.Describe(), steps, batches.BatchSize, loss, accuracy,
            steps * batches.BatchSize / seconds, 1000 * seconds / steps, total.Elapsed.TotalSeconds);
    }
}
