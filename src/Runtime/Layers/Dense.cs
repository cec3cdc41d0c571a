using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// A fully connected layer, Y = X·W + b with TensorFlow's layout: kernel [in, out], bias [out].
/// The input may have any per-example shape; it is read as [batch, in] (row-major, as Flatten would).
/// Over a sequence batch (<see cref="ModelContext.Steps"/>) it applies to every time step's rows with
/// the same weights, as a softmax layer over an LSTM's outputs does.
/// </summary>
public sealed class Dense : Layer
{
    private readonly int _units;
    private readonly Initializer _kernelInit, _biasInit;
    private readonly string? _kernelName, _biasName;
    private ModelContext? _model;
    private int _batch, _in;
    private ArenaSlice _kernel = null!, _bias = null!;

    /// <summary>A dense layer with <paramref name="units"/> outputs.</summary>
    /// <param name="units">Output features.</param>
    /// <param name="kernelInitializer">Kernel initial values (default Glorot uniform, Keras' default).</param>
    /// <param name="biasInitializer">Bias initial values (default zeros).</param>
    /// <param name="name">Overrides the automatic name (dense1, dense2, ...).</param>
    /// <param name="kernelName">The kernel's full checkpoint name when it is not <c>&lt;name&gt;/kernel</c> (TF1's <c>Model/softmax_w</c>).</param>
    /// <param name="biasName">The bias's full checkpoint name when it is not <c>&lt;name&gt;/bias</c>.</param>
    public Dense(int units, Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null,
        string? kernelName = null, string? biasName = null)
        : base(name)
    {
        if (units < 1) throw new ArgumentException($"Dense needs at least one unit; got {units}", nameof(units));
        _units = units;
        _kernelInit = kernelInitializer ?? new GlorotUniform();
        _biasInit = biasInitializer ?? new Constant(0f);
        _kernelName = kernelName;
        _biasName = biasName;
    }

    /// <summary>The kernel's checkpoint name.</summary>
    public string KernelName => _kernelName ?? Name + "/kernel";

    /// <summary>The bias's checkpoint name.</summary>
    public string BiasName => _biasName ?? Name + "/bias";

    /// <inheritdoc />
    protected override string NamePrefix => "dense";

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters =>
    [
        new(KernelName, new Shape(checked((int)InputShape.Size), _units), _kernelInit),
        new(BiasName, new Shape(_units), _biasInit),
    ];

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(_units);

    /// <inheritdoc />
    protected internal override void Plan(ModelContext model, int batch)
    {
        _model = model;
        _batch = batch;
        _in = checked((int)InputShape.Size);
        _kernel = model.Parameters[KernelName];
        _bias = model.Parameters[BiasName];
    }

    /// <inheritdoc />
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        var m = _model!;
        var kernel = m.Parameters.ViewOf(_kernel);
        var bias = m.Parameters.ViewOf(_bias);
        // On the host the bias is added to each tile of Y as the GEMM finishes it, not in a second
        // pass over Y (PTB's [400, 10000] logits); the sums are the same.
        if (m.GemmEngine is HostGemmEngine host)
        {
            host.Gemm(false, false, _batch, _units, _in, 1f, x, _in, kernel, _units, 0f, y, _units, bias);
            return;
        }
        m.Gemm(false, false, _batch, _units, _in, 1f, x, kernel, 0f, y);
        BiasOps.Add(m.Device, y, bias, y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        var m = _model!;
        // After the trainer's deferred clear the first contribution overwrites (beta 0): no clear of
        // the kernel's gradient (a dense layer's is most of the arena) and no read of it in the GEMM.
        var dKernel = m.Gradients.Accumulator(_kernel, out float kernelBeta);
        m.Gemm(true, false, _in, _units, _batch, 1f, x, dy, kernelBeta, dKernel);
        var dBias = m.Gradients.Accumulator(_bias, out float biasBeta);
        BiasOps.Grad(m.Device, dy, dBias, accumulate: biasBeta != 0f);
        if (dx.Length == 0) return;
        m.Gemm(false, true, _batch, _in, _units, 1f, dy, m.Parameters.ViewOf(_kernel), 0f, dx);
    }
}
