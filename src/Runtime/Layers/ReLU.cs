using GpuTrain.Kernels;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;

namespace GpuTrain.Runtime.Layers;

/// <summary>Y = max(X, 0); dX = dY where X &gt; 0, else 0 (<see cref="Activations"/>).</summary>
public sealed class ReLU : Layer
{
    private ModelContext? _model;

    /// <summary>Creates the layer.</summary>
    public ReLU(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override string NamePrefix => "relu";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch) => _model = model;

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y) => ActivationOps.Relu(_model!.Device, x, y);

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length != 0) ActivationOps.ReluGrad(_model!.Device, x, dy, dx);
    }
}
