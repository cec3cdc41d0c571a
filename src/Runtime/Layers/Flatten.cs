using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// Reshapes each example to a vector (row-major, so NHWC flattens as TensorFlow's reshape does). In a
/// model it is a view of its input's buffers and copies nothing.
/// </summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates the layer.</summary>
    public Flatten(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override string NamePrefix => "flatten";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(checked((int)input.Size));

    /// <inheritdoc />
    internal override bool IsView => true;

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        if (!InPlace) x.CopyTo(y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length != 0 && !InPlace) dy.CopyTo(dx);
    }
}
