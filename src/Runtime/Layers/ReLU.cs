using GpuTrain.Kernels;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

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
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        var relu = _model!.Device.Kernel(Activations.Relu, a =>
            a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(Activations.Relu));
        relu((int)x.Length, x, y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length == 0) return;
        var grad = _model!.Device.Kernel(Activations.ReluGrad, a =>
            a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(Activations.ReluGrad));
        grad((int)x.Length, x, dy, dx);
    }
}
