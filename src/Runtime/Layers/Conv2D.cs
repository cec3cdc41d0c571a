using GpuTrain.Kernels;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// 2-D convolution over NHWC input, like <c>tf.nn.conv2d</c> plus a bias: kernel [h, w, in, out],
/// bias [out], any kernel size and stride, SAME or VALID padding. Computed as im2col + one GEMM
/// (<see cref="ConvOps"/>, which also chooses host or device); the backward pass is two GEMMs and a col2im.
/// </summary>
public sealed class Conv2D : Layer
{
    private readonly int _filters, _kernelSize, _stride;
    private readonly Padding _padding;
    private readonly Initializer _kernelInit, _biasInit;
    private ModelContext? _model;
    private WindowGeometry _g;
    private ArenaSlice _kernel = null!, _bias = null!;
    private Tensor<float>? _col, _colGrad;
    private bool _relu;
    private MaxPool2D? _pool;
    private ArrayView<float> _pooled, _pooledGrad;
    private bool _poolGradient;

    /// <summary>A convolution with <paramref name="filters"/> output channels and a square kernel.</summary>
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="padding">SAME or VALID (TensorFlow's rules).</param>
    /// <param name="stride">Stride in both directions.</param>
    /// <param name="kernelInitializer">Kernel initial values (default Glorot uniform, Keras' default).</param>
    /// <param name="biasInitializer">Bias initial values (default zeros).</param>
    /// <param name="name">Overrides the automatic name (conv1, conv2, ...).</param>
    public Conv2D(int filters, int kernelSize, Padding padding = Padding.Valid, int stride = 1,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        (_filters, _kernelSize, _stride, _padding) = (filters, kernelSize, stride, padding);
        _kernelInit = kernelInitializer ?? new GlorotUniform();
        _biasInit = biasInitializer ?? new Constant(0f);
    }

    /// <inheritdoc />
    protected override string NamePrefix => "conv";

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters =>
    [
        new(Name + "/kernel", new Shape(_kernelSize, _kernelSize, InputShape[2], _filters), _kernelInit),
        new(Name + "/bias", new Shape(_filters), _biasInit),
    ];

    /// <inheritdoc />
    internal override bool BackwardReadsOutput => false;

    /// <summary>
    /// Makes the forward pass write max(Y, 0): a following in-place <see cref="ReLU"/> hands itself
    /// over while the model is planned (until the next plan). Returns true: it always can.
    /// </summary>
    internal bool ApplyRelu() => _relu = true;

    /// <summary>
    /// Makes the forward pass (which applies the ReLU) also do <paramref name="pool"/>'s forward pass,
    /// into <paramref name="pooled"/> (the pool's output buffer), block by block while each is in
    /// cache, where the host path can (<see cref="ConvOps.CanPool"/>); this layer's own output is then
    /// not written: the in-place ReLU's gradient is the pool's, which reads only its own output.
    /// Until the next plan. Returns whether it will.
    /// <para>
    /// With kept columns the backward pass is taken over as well: without an input gradient (a first
    /// layer) the pool's gradient, from <paramref name="pooledGrad"/> (the pool's output gradient),
    /// goes straight into this layer's parameter gradients and is never stored; otherwise this layer
    /// runs the pool's backward pass first.
    /// </para>
    /// </summary>
    internal bool TakeOverPooling(MaxPool2D pool, ArrayView<float> pooled, ArrayView<float> pooledGrad)
    {
        if (!_relu || !ConvOps.CanPool(_model!.Device, _model.GemmEngine, _g, pool.Geometry)) return false;
        (_pool, _pooled, _pooledGrad, _poolGradient) = (pool, pooled, pooledGrad, _col != null);
        if (_poolGradient) pool.LeaveBackwardToProducer();
        return true;
    }

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input)
    {
        var g = Windows.Plan(Name, input, 1, (_kernelSize, _kernelSize), (_stride, _stride), _padding);
        return new Shape(g.OutHeight, g.OutWidth, _filters);
    }

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch)
    {
        _model = model;
        (_relu, _pool, _pooled, _pooledGrad, _poolGradient) = (false, null, default, default, false);
        _g = Windows.Plan(Name, InputShape, batch, (_kernelSize, _kernelSize), (_stride, _stride), _padding);
        _kernel = model.Parameters[Name + "/kernel"];
        _bias = model.Parameters[Name + "/bias"];
        DisposeScratch();
        long columns = ConvOps.ColumnsLength(model.Device, model.GemmEngine, _g);
        long columnGrad = ConvOps.ColumnGradLength(model.Device, model.GemmEngine, _g, _filters);
        if (columns > 0) _col = new Tensor<float>(model.Device, new Shape(checked((int)columns)));
        if (columnGrad > 0) _colGrad = new Tensor<float>(model.Device, new Shape(checked((int)columnGrad)));
    }

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        var m = _model!;
        ConvOps.Forward(m.Device, m.GemmEngine, x, m.Parameters.ViewOf(_kernel), m.Parameters.ViewOf(_bias), y, _g,
            _col?.View ?? default, _relu, _pooled, _pool?.Argmax ?? default, _pool?.Geometry ?? default);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        var m = _model!;
        if (_poolGradient && dx.Length == 0)
        {
            ConvOps.GradientsThroughPool(m.Device, m.GemmEngine, _pooledGrad, _pool!.Argmax, _pooled, _pool.Geometry,
                m.Gradients.ViewOf(_kernel), m.Gradients.ViewOf(_bias), _g, _col!.View, _colGrad!.View);
            return;
        }
        if (_poolGradient) _pool!.BackwardThroughReluInto(_pooled, _pooledGrad, dy);
        ConvOps.Backward(m.Device, m.GemmEngine, x, dy, m.Parameters.ViewOf(_kernel), m.Gradients.ViewOf(_kernel),
            m.Gradients.ViewOf(_bias), dx, _g, _col?.View ?? default, _colGrad?.View ?? default);
    }

    private void DisposeScratch()
    {
        _col?.Dispose();
        _colGrad?.Dispose();
        (_col, _colGrad) = (null, null);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        DisposeScratch();
        base.Dispose();
    }
}
