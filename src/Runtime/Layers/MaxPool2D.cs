using GpuTrain.Kernels;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// Max pooling over NHWC input like <c>tf.nn.max_pool</c>: square window, stride (default = window),
/// SAME or VALID. The forward pass records each maximum's position; the backward pass routes the
/// gradient there (<see cref="PoolKernels"/>).
/// </summary>
public sealed class MaxPool2D : Layer
{
    private readonly int _size, _stride;
    private readonly Padding _padding;
    private ModelContext? _model;
    private WindowGeometry _g;
    private Tensor<int>? _argmax;
    private bool _reluGradient, _forwardByProducer, _backwardByProducer;

    /// <summary>A <paramref name="size"/> x <paramref name="size"/> max pool.</summary>
    /// <param name="size">Window height and width.</param>
    /// <param name="stride">Stride (default: the window size, non-overlapping windows).</param>
    /// <param name="padding">SAME (TensorFlow tutorial's choice, default) or VALID.</param>
    /// <param name="name">Overrides the automatic name (pool1, pool2, ...).</param>
    public MaxPool2D(int size, int? stride = null, Padding padding = Padding.Same, string? name = null) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (stride is < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "must be positive (or null for the window size)");
        (_size, _stride, _padding) = (size, stride ?? size, padding);
    }

    /// <inheritdoc />
    protected override string NamePrefix => "pool";

    /// <summary>
    /// Makes the backward pass also pass the gradient through the <see cref="ReLU"/> whose output is
    /// this layer's input (it ran in place and hands itself over while the model is planned, until
    /// the next plan). Returns true: it always can.
    /// </summary>
    internal bool PassGradientThroughRelu() => _reluGradient = true;

    /// <summary>The window geometry of the planned batch.</summary>
    internal WindowGeometry Geometry => _g;

    /// <summary>Where the forward pass records each maximum's input index.</summary>
    internal ArrayView<int> Argmax => _argmax!.View;

    /// <summary>
    /// Hands this layer's forward pass to the convolution two layers before (through an in-place
    /// ReLU), which pools its output as it computes it (<see cref="Conv2D.TakeOverPooling"/>); until
    /// the next plan. The backward pass must then not read this layer's input, which nobody writes:
    /// it passes the gradient through the ReLU from this layer's own output instead.
    /// </summary>
    internal void LeaveForwardToProducer() => _forwardByProducer = true;

    /// <summary>
    /// Hands the backward pass to that convolution too (until the next plan): it folds the pool's
    /// gradient into its own parameter gradients, or calls <see cref="BackwardThroughReluInto"/>.
    /// </summary>
    internal void LeaveBackwardToProducer() => _backwardByProducer = true;

    /// <summary>
    /// The backward pass left to the producer: <paramref name="dx"/> (the ReLU's input gradient) from
    /// <paramref name="dy"/> and this layer's <paramref name="output"/> on host threads.
    /// </summary>
    internal void BackwardThroughReluInto(ArrayView<float> output, ArrayView<float> dy, ArrayView<float> dx) =>
        PoolOps.MaxBackwardThroughRelu(_model!.Device, default, output, dy, _argmax!.View, dx, _g);

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input)
    {
        var g = Windows.Plan(Name, input, 1, (_size, _size), (_stride, _stride), _padding);
        return new Shape(g.OutHeight, g.OutWidth, input[2]);
    }

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch)
    {
        _model = model;
        _reluGradient = _forwardByProducer = _backwardByProducer = false;
        _g = Windows.Plan(Name, InputShape, batch, (_size, _size), (_stride, _stride), _padding);
        _argmax?.Dispose();
        _argmax = new Tensor<int>(model.Device, new Shape(batch, _g.OutHeight, _g.OutWidth, _g.Channels));
    }

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        if (!_forwardByProducer) PoolOps.MaxForward(_model!.Device, x, y, _argmax!.View, _g);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (dx.Length == 0 || _backwardByProducer) return;
        if (_reluGradient) PoolOps.MaxBackwardThroughRelu(_model!.Device, x, y, dy, _argmax!.View, dx, _g);
        else PoolOps.MaxBackward(_model!.Device, dy, _argmax!.View, dx, _g);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _argmax?.Dispose();
        base.Dispose();
    }
}
