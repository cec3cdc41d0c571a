using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>Reshapes each example to a vector (row-major, so NHWC flattens as TensorFlow's reshape does).</summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates the layer.</summary>
    public Flatten(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override string NamePrefix => "flatten";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(checked((int)input.Size));

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y) => x.CopyTo(y);

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length != 0) dy.CopyTo(dx);
    }
}
