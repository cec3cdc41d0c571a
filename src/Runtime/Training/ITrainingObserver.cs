namespace GpuTrain.Runtime.Training;

/// <summary>
/// Something that watches a <see cref="TrainingLoop{TBatch}"/>: progress, TensorBoard, an evaluation, the
/// checkpoint cadence. The loop calls observers on the training thread in the order they were added,
/// so an observer hands slow work (writing files) to a background writer. Every method is optional.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Once, before the first step (the trainer's global step is where the run starts).</summary>
    void OnStart(TrainingRun run) { }

    /// <summary>Before the first step of an epoch (and before the first step of a run, which may start mid-epoch).</summary>
    void OnEpochStart(TrainingRun run) { }

    /// <summary>After each step; <see cref="ITrainer.GlobalStep"/> already counts it.</summary>
    void OnStep(TrainingRun run) { }

    /// <summary>After the step that finished epoch <see cref="TrainingRun.Epoch"/>.</summary>
    void OnEpochEnd(TrainingRun run) { }

    /// <summary>A scalar an observer recorded through <see cref="TrainingRun.Scalar"/> at the current global step.</summary>
    void OnScalar(TrainingRun run, string tag, float value) { }

    /// <summary>Once, after the last step (final evaluations, the final save).</summary>
    void OnFinish(TrainingRun run) { }
}
