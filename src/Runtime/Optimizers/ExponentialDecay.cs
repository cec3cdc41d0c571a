namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// TF's tf.train.exponential_decay: lr * decay_rate ^ (step / decay_steps), the exponent floored
/// when <see cref="Staircase"/> (the rate then drops once every decay_steps). Computed in float32
/// as TensorFlow does.
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Decays <paramref name="initialLearningRate"/> by <paramref name="decayRate"/> every <paramref name="decaySteps"/>.</summary>
    /// <exception cref="ArgumentException">A rate is negative or not finite, or decaySteps is not positive.</exception>
    public ExponentialDecay(float initialLearningRate, long decaySteps, float decayRate, bool staircase = false)
    {
        if (!float.IsFinite(initialLearningRate) || initialLearningRate < 0)
            throw new ArgumentException($"learning rate {initialLearningRate} must be finite and non-negative", nameof(initialLearningRate));
        if (decaySteps <= 0)
            throw new ArgumentException($"decay steps {decaySteps} must be positive", nameof(decaySteps));
        if (!float.IsFinite(decayRate) || decayRate < 0)
            throw new ArgumentException($"decay rate {decayRate} must be finite and non-negative", nameof(decayRate));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public float InitialLearningRate { get; }

    /// <summary>Steps per factor of <see cref="DecayRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The factor applied every <see cref="DecaySteps"/>.</summary>
    public float DecayRate { get; }

    /// <summary>Whether the exponent is floored (step-wise decay).</summary>
    public bool Staircase { get; }

    /// <inheritdoc />
    public override float At(long step)
    {
        float p = (float)step / DecaySteps;
        if (Staircase) p = MathF.Floor(p);
        return InitialLearningRate * MathF.Pow(DecayRate, p);
    }
}
