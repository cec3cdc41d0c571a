namespace GpuTrain.Runtime.Training;

/// <summary>
/// Something that watches the step loop (TensorBoard logging, checkpointing). The loop calls it on the
/// training thread, so an observer must hand slow work to a background writer.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>After each step; <see cref="Trainer.GlobalStep"/> already counts it.</summary>
    void OnStep(Trainer trainer, float loss, double stepsPerSecond);

    /// <summary>After each evaluation on the held-out set.</summary>
    void OnEvaluation(Trainer trainer, double accuracy);

    /// <summary>Once, after the last step and its evaluation.</summary>
    void OnFinish(Trainer trainer);
}
