using System.Diagnostics;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The one step loop of every model: draw a batch, <see cref="Trainer{TBatch}.Step"/>, tell the
/// observers (progress, TensorBoard, evaluations, checkpoints), and mark epoch boundaries as the data
/// source crosses them. It runs until the global step reaches the target, so a resumed run ends where
/// the uninterrupted one would have.
/// </summary>
/// <typeparam name="TBatch">The batch type.</typeparam>
/// <param name="trainer">The step owner (continues from its global step).</param>
/// <param name="data">The batches (continue from their cursor).</param>
public sealed class TrainingLoop<TBatch>(Trainer<TBatch> trainer, IBatchSource<TBatch> data)
{
    /// <summary>The observers, called in this order.</summary>
    public List<ITrainingObserver> Observers { get; } = [];

    /// <summary>Where report lines go (evaluations, saves); nowhere by default.</summary>
    public Action<string> Report { get; init; } = _ => { };

    /// <summary>Shows a long phase by name, such as an evaluation pass (<see cref="ConsoleProgress.Phase"/>); nowhere by default.</summary>
    public Func<string, IProgress<(long Done, long Total)>> Phases { get; init; } = _ => new Progress<(long, long)>();

    /// <summary>Trains until the global step is <paramref name="targetStep"/> and returns the summary.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is not positive.</exception>
    public RunSummary Run(long targetStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetStep, 1);
        var run = new TrainingRun(trainer, targetStep, Observers, Report, Phases) { Epoch = data.Epoch };
        var total = Stopwatch.StartNew();
        var stepTime = new Stopwatch();
        foreach (var o in Observers) o.OnStart(run);
        if (trainer.GlobalStep < targetStep)
            foreach (var o in Observers) o.OnEpochStart(run);
        while (trainer.GlobalStep < targetStep)
        {
            stepTime.Start();
            var batch = data.Next();
            run.Loss = trainer.Step(batch);
            stepTime.Stop();
            run.StepsTaken++;
            run.TrainingSeconds = stepTime.Elapsed.TotalSeconds;
            run.StepsPerSecond = run.StepsTaken / run.TrainingSeconds;
            foreach (var o in Observers) o.OnStep(run);
            if (data.Epoch == run.Epoch) continue;
            foreach (var o in Observers) o.OnEpochEnd(run);
            run.Epoch = data.Epoch;
            if (trainer.GlobalStep < targetStep)
                foreach (var o in Observers) o.OnEpochStart(run);
        }
        foreach (var o in Observers) o.OnFinish(run);
        double seconds = Math.Max(stepTime.Elapsed.TotalSeconds, 1e-9);
        long taken = run.StepsTaken;
        return new RunSummary(trainer.Model.Device.Info.Describe(), trainer.GlobalStep, data.BatchSize, run.Loss,
            taken / seconds, taken * data.BatchSize / seconds, taken == 0 ? 0 : 1000 * seconds / taken, total.Elapsed.TotalSeconds)
        {
            StartStep = run.StartStep,
            StepsRun = taken,
            LatestCheckpoint = run.LatestCheckpoint,
            Checkpoints = run.Checkpoints,
            Results = run.Results,
        };
    }
}
