namespace GpuTrain.Runtime.Optimizers;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantLearningRate : LearningRateSchedule
{
    /// <summary>A schedule that always returns <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">The rate is negative or not finite.</exception>
    public ConstantLearningRate(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentException($"learning rate {learningRate} must be finite and non-negative", nameof(learningRate));
        LearningRate = learningRate;
    }

    /// <summary>The rate.</summary>
    public float LearningRate { get; }

    /// <inheritdoc />
    public override float At(long step) => LearningRate;
}
