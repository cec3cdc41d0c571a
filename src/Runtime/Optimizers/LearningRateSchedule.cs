namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// The learning rate as a function of the optimizer's step (TF's global_step: updates applied so
/// far). A plain float converts to a constant schedule, so <c>new Adam(1e-4f)</c> reads naturally.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for the update made when <paramref name="step"/> updates are done.</summary>
    public abstract float At(long step);

    /// <summary>A constant learning rate.</summary>
    public static implicit operator LearningRateSchedule(float learningRate) => new ConstantLearningRate(learningRate);
}
