using System.Diagnostics;
using System.Globalization;
using GpuTrain.Runtime.Data;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The step loop: draw a batch, <see cref="Trainer.Step"/>, report progress, tell the observers
/// (logging, checkpoints), evaluate on the held-out set every <c>evalEvery</c> steps and at the end.
/// It runs until the global step reaches the target, so a resumed run ends where the uninterrupted
/// one would have. Batch arrays are allocated once.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains until the global step is <paramref name="steps"/> and returns the summary.</summary>
    /// <param name="trainer">The trainer (continues from its <see cref="Trainer.GlobalStep"/>).</param>
    /// <param name="batches">The training batches.</param>
    /// <param name="eval">The held-out set evaluated every <paramref name="evalEvery"/> steps and at the end.</param>
    /// <param name="steps">The global step to train to.</param>
    /// <param name="evalEvery">Evaluation period in steps (0: only at the end).</param>
    /// <param name="progress">Where progress goes.</param>
    /// <param name="observers">Logging and checkpointing, called after every step and evaluation.</param>
    public static TrainingSummary Run(Trainer trainer, ShuffledBatcher batches, ImageDataset eval, int steps,
        int evalEvery, ConsoleProgress progress, params IReadOnlyList<ITrainingObserver> observers)
    {
        if (steps < 1) throw new ArgumentException($"--steps must be positive; got {steps}", nameof(steps));
        if (evalEvery < 0) throw new ArgumentException($"--eval-every must not be negative; got {evalEvery}", nameof(evalEvery));
        var images = new float[batches.BatchSize * eval.ImageSize];
        var labels = new int[batches.BatchSize];
        var total = Stopwatch.StartNew();
        var stepTime = new Stopwatch();
        float loss = float.NaN;
        double accuracy = double.NaN;
        int taken = 0;
        while (trainer.GlobalStep < steps)
        {
            batches.NextBatch(images, labels);
            stepTime.Start();
            loss = trainer.Step(images, labels);
            stepTime.Stop();
            taken++;
            double stepsPerSecond = taken / stepTime.Elapsed.TotalSeconds;
            long step = trainer.GlobalStep;
            progress.Step(step, steps, loss, stepsPerSecond);
            foreach (var o in observers) o.OnStep(trainer, loss, stepsPerSecond);
            if (step == steps || (evalEvery > 0 && step % evalEvery == 0))
            {
                accuracy = trainer.Evaluate(eval.Pixels, eval.Labels, batches.BatchSize);
                progress.Message(string.Create(CultureInfo.InvariantCulture,
                    $"step {step}: accuracy {accuracy:P2} on {eval.Count} held-out examples ({eval.Name})"));
                foreach (var o in observers) o.OnEvaluation(trainer, accuracy);
            }
        }
        foreach (var o in observers) o.OnFinish(trainer);
        progress.Finish();
        double seconds = Math.Max(stepTime.Elapsed.TotalSeconds, 1e-9);
        return new TrainingSummary(trainer.Model.Device.Info.Describe(), trainer.GlobalStep, batches.BatchSize, loss, accuracy,
            taken * batches.BatchSize / seconds, taken == 0 ? 0 : 1000 * seconds / taken, total.Elapsed.TotalSeconds);
    }
}
