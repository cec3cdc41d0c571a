using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>tf.constant_initializer: every element the same value (the seed is unused).</summary>
public sealed class Constant(float value) : Initializer
{
    /// <summary>The value written.</summary>
    public float Value { get; } = value;

    /// <inheritdoc />
    protected override void Generate(Span<float> values, Shape shape, ulong seed) => values.Fill(Value);
}
