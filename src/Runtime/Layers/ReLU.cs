using GpuTrain.Kernels;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// Y = max(X, 0); dX = dY where X &gt; 0, else 0 (<see cref="Activations"/>). In a model it runs in
/// place on its input where it can, and then a convolution before it applies it as it writes its
/// output, and a max pool after it passes the gradient through it, so it costs no pass of its own.
/// </summary>
public sealed class ReLU : Layer
{
    private ModelContext? _model;
    private bool _appliedByProducer, _gradientByConsumer;

    /// <summary>Creates the layer.</summary>
    public ReLU(string? name = null) : base(name) { }

    /// <inheritdoc />
    protected override string NamePrefix => "relu";

    /// <inheritdoc />
    internal override bool CanRunInPlace => true;

    // In place, X is Y (max(X, 0) > 0 exactly where X > 0, so the gradient's mask is unchanged).
    /// <inheritdoc />
    internal override bool BackwardReadsOutput => InPlace && !_gradientByConsumer;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch)
    {
        _model = model;
        _appliedByProducer = _gradientByConsumer = false;
    }

    /// <summary>
    /// Hands this in-place ReLU to its neighbours: <paramref name="producer"/> (the layer before,
    /// whose output buffer this layer shares) applies it to its output where it can, and
    /// <paramref name="consumer"/> (the layer after, if any, whose output buffer is
    /// <paramref name="consumerOutput"/>, its gradient <paramref name="consumerOutputGrad"/>) passes its
    /// input gradient through it.
    /// </summary>
    internal void Fuse(Layer producer, Layer? consumer, ArrayView<float> consumerOutput, ArrayView<float> consumerOutputGrad)
    {
        _appliedByProducer = producer is Conv2D conv && conv.ApplyRelu();
        _gradientByConsumer = consumer is MaxPool2D pool && pool.PassGradientThroughRelu();
        // With both, the convolution may do the pool's forward pass too: then nobody reads the ReLU's
        // output (the pool's gradient reads the pool's own output), so it is never written.
        if (producer is Conv2D c && consumer is MaxPool2D p && _appliedByProducer && _gradientByConsumer && c.TakeOverPooling(p, consumerOutput, consumerOutputGrad))
            p.LeaveForwardToProducer();
    }

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        if (!_appliedByProducer) ActivationOps.Relu(_model!.Device, x, y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length != 0 && !_gradientByConsumer) ActivationOps.ReluGrad(_model!.Device, x, dy, dx);
    }
}
