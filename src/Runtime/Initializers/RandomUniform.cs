using GpuTrain.Kernels;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>tf.random_uniform_initializer: uniform in [min, max); TF1's defaults are [0, 1).</summary>
public sealed class RandomUniform : Initializer
{
    /// <summary>Uniform values in [<paramref name="minValue"/>, <paramref name="maxValue"/>).</summary>
    /// <exception cref="ArgumentException">max is not above min, or a bound is not finite.</exception>
    public RandomUniform(float minValue = 0f, float maxValue = 1f)
    {
        if (!float.IsFinite(minValue) || !float.IsFinite(maxValue) || !(maxValue > minValue))
            throw new ArgumentException($"uniform range [{minValue}, {maxValue}) is empty or not finite", nameof(maxValue));
        MinValue = minValue;
        MaxValue = maxValue;
    }

    /// <summary>The lower bound (inclusive).</summary>
    public float MinValue { get; }

    /// <summary>The upper bound (exclusive up to rounding).</summary>
    public float MaxValue { get; }

    /// <inheritdoc />
    protected override void Generate(Span<float> values, Shape shape, ulong seed)
    {
        float range = MaxValue - MinValue;
        for (int i = 0; i < values.Length; i++) values[i] = MinValue + range * Philox.Uniform(seed, 0, (ulong)i);
    }
}
