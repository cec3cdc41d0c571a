using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>tf.zeros_initializer (biases, usually).</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc />
    protected override void Generate(Span<float> values, Shape shape, ulong seed) => values.Clear();
}
