using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// One LSTM layer (TF1's BasicLSTMCell) unrolled over the time steps of a sequence batch
/// (<see cref="ModelContext.Steps"/>; time-major, step t's rows are <c>[t·streams, (t+1)·streams)</c>),
/// with its state carried from batch to batch (truncated back-propagation through time) until
/// <see cref="ResetState"/>. Stack layers for a multi-layer LSTM. Tensors: <c>&lt;name&gt;/kernel</c>
/// [inputs + units, 4·units] (input rows first, gates i, j, f, o) and <c>&lt;name&gt;/bias</c> [4·units];
/// name the layer <c>.../basic_lstm_cell</c> to get TF's checkpoint names.
/// <para>
/// The input half of the matmul, <c>X·W_x + b</c>, is one GEMM over all steps; each step then adds
/// <c>h_{t-1}·W_h</c> and runs the fused cell. The states live in buffers of steps + 1 slots: slot 0
/// is the initial state and slot t + 1 the state after step t, so the recurrent GEMMs of the backward
/// pass read slots 0..steps-1 as one matrix. Backward uses dY as scratch for the recurrent gradient.
/// </para>
/// </summary>
public sealed class Lstm : Layer
{
    private readonly int _units;
    private readonly float _forgetBias;
    private readonly Initializer _kernelInit, _biasInit;
    private ModelContext? _model;
    private int _streams, _steps, _inputs;
    private ArenaSlice _kernel = null!, _bias = null!;
    private Tensor<float>? _gates, _hidden, _cell, _dGates, _dCell;

    /// <summary>An LSTM layer of <paramref name="units"/> units.</summary>
    /// <param name="units">Units (the width of the hidden and cell state and of the output).</param>
    /// <param name="forgetBias">Added to the forget gate's pre-activation (BasicLSTMCell's forget_bias; the PTB tutorial uses 0).</param>
    /// <param name="kernelInitializer">Kernel initial values (default Glorot uniform).</param>
    /// <param name="biasInitializer">Bias initial values (default zeros, as BasicLSTMCell).</param>
    /// <param name="name">Overrides the automatic name (lstm1, lstm2, ...).</param>
    /// <exception cref="ArgumentException">No units.</exception>
    public Lstm(int units, float forgetBias = 0f, Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null)
        : base(name)
    {
        if (units < 1) throw new ArgumentException($"an LSTM needs at least one unit; got {units}", nameof(units));
        _units = units;
        _forgetBias = forgetBias;
        _kernelInit = kernelInitializer ?? new GlorotUniform();
        _biasInit = biasInitializer ?? new Zeros();
    }

    /// <summary>Units per step.</summary>
    public int Units => _units;

    /// <summary>The forget gate's bias.</summary>
    public float ForgetBias => _forgetBias;

    /// <inheritdoc />
    protected override string NamePrefix => "lstm";

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters =>
    [
        new(Name + "/kernel", new Shape(checked((int)InputShape.Size + _units), 4 * _units), _kernelInit),
        new(Name + "/bias", new Shape(4 * _units), _biasInit),
    ];

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(_units);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The batch is not a whole number of time steps.</exception>
    protected internal override void Plan(ModelContext model, int batch)
    {
        if (model.Steps < 1 || batch % model.Steps != 0)
            throw new ArgumentException($"{Name}: a batch of {batch} rows is not {model.Steps} time steps of equal streams", nameof(batch));
        DisposeBuffers();
        _model = model;
        _steps = model.Steps;
        _streams = batch / model.Steps;
        _inputs = checked((int)InputShape.Size);
        _kernel = model.Parameters[Name + "/kernel"];
        _bias = model.Parameters[Name + "/bias"];
        var device = model.Device;
        _gates = new Tensor<float>(device, new Shape(batch, 4 * _units));
        _hidden = new Tensor<float>(device, new Shape(_steps + 1, _streams, _units));
        _cell = new Tensor<float>(device, new Shape(_steps + 1, _streams, _units));
        _hidden.Clear();
        _cell.Clear();
    }

    private int StateSize => _streams * _units;

    /// <summary>The hidden state after the last step, [streams, units]: where the next batch starts.</summary>
    public ArrayView<float> CarriedHidden => Slots(Planned(_hidden), _steps, 1);

    /// <summary>The cell state after the last step, [streams, units]: where the next batch starts.</summary>
    public ArrayView<float> CarriedCell => Slots(Planned(_cell), _steps, 1);

    /// <summary>Zeroes the carried state (a new sequence, e.g. an epoch's start).</summary>
    public void ResetState()
    {
        ElementwiseOps.Zero(_model!.Device, CarriedHidden);
        ElementwiseOps.Zero(_model.Device, CarriedCell);
    }

    /// <summary>Runs the steps from the carried state (the previous batch's final state) and writes h_1..h_steps into <paramref name="y"/>.</summary>
    public override void Forward(PassContext pass, ArrayView<float> x, ArrayView<float> y)
    {
        var m = _model ?? throw new InvalidOperationException($"{Name} has not been planned");
        CarriedHidden.CopyTo(Slots(_hidden!, 0, 1));
        CarriedCell.CopyTo(Slots(_cell!, 0, 1));
        var (wx, wh, bias) = Weights(m.Parameters);
        int rows = _steps * _streams, gateWidth = 4 * _units;
        var gatesAll = _gates!.View;
        m.GemmEngine.Gemm(false, false, rows, gateWidth, _inputs, 1f, x, _inputs, wx, gateWidth, 0f, gatesAll, gateWidth);
        BiasOps.Add(m.Device, gatesAll, bias, gatesAll);
        for (int t = 0; t < _steps; t++)
        {
            var gates = GateRows(_gates, t);
            m.GemmEngine.Gemm(false, false, _streams, gateWidth, _units, 1f, Slots(_hidden!, t, 1), _units, wh, gateWidth, 1f, gates, gateWidth);
            LstmOps.CellForward(m.Device, gates, Slots(_cell!, t, 1), _units, _forgetBias, Slots(_cell!, t + 1, 1), Slots(_hidden!, t + 1, 1));
        }
        Slots(_hidden!, 1, _steps).CopyTo(y);
    }

    /// <inheritdoc />
    public override void Backward(PassContext pass, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        Backward(x, dy, dx, default, default);

    /// <summary>
    /// Back-propagates <paramref name="dy"/> (dL/dh_t for every step; overwritten: it receives the
    /// recurrent gradients as the pass walks back) into the weight gradients and, when not empty, into
    /// <paramref name="dx"/> (overwritten) and the gradients of the initial state
    /// <paramref name="dInitialHidden"/> and <paramref name="dInitialCell"/> ([streams, units]). The
    /// final state's gradient is zero: truncated back-propagation stops at the batch boundary.
    /// </summary>
    public void Backward(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx,
        ArrayView<float> dInitialHidden, ArrayView<float> dInitialCell)
    {
        var m = _model ?? throw new InvalidOperationException($"{Name} has not been planned");
        var device = m.Device;
        var (wx, wh, _) = Weights(m.Parameters);
        var (dwx, dwh, dbias) = Weights(m.Gradients);
        int rows = _steps * _streams, gateWidth = 4 * _units;
        // Only a trained layer goes backward: evaluation plans never pay for these.
        _dGates ??= new Tensor<float>(device, new Shape(rows, gateWidth));
        _dCell ??= new Tensor<float>(device, new Shape(StateSize));
        _dCell.Clear();
        for (int t = _steps - 1; t >= 0; t--)
        {
            var dGates = GateRows(_dGates, t);
            LstmOps.CellBackward(device, GateRows(_gates!, t), Slots(_cell!, t, 1), Slots(_cell!, t + 1, 1),
                dy.SubView((long)t * StateSize, StateSize), _units, _forgetBias, _dCell.View, dGates);
            var dPrevious = t > 0 ? dy.SubView((long)(t - 1) * StateSize, StateSize) : dInitialHidden;
            if (dPrevious.Length > 0)
                m.GemmEngine.Gemm(false, true, _streams, _units, gateWidth, 1f, dGates, gateWidth, wh, gateWidth, t > 0 ? 1f : 0f, dPrevious, _units);
        }
        if (dInitialCell.Length > 0) _dCell.View.CopyTo(dInitialCell);
        m.GemmEngine.Gemm(true, false, _inputs, gateWidth, rows, 1f, x, _inputs, _dGates.View, gateWidth, 1f, dwx, gateWidth);
        m.GemmEngine.Gemm(true, false, _units, gateWidth, rows, 1f, Slots(_hidden!, 0, _steps), _units, _dGates.View, gateWidth, 1f, dwh, gateWidth);
        BiasOps.Grad(device, _dGates.View, dbias);
        if (dx.Length > 0)
            m.GemmEngine.Gemm(false, true, rows, _inputs, gateWidth, 1f, _dGates.View, gateWidth, wx, gateWidth, 0f, dx, _inputs);
    }

    /// <summary>The input rows, recurrent rows and bias of this layer's tensors in <paramref name="arena"/>.</summary>
    private (ArrayView<float> Wx, ArrayView<float> Wh, ArrayView<float> Bias) Weights(ParameterArena arena)
    {
        var kernel = arena.ViewOf(_kernel);
        long split = (long)_inputs * 4 * _units;
        return (kernel.SubView(0, split), kernel.SubView(split, kernel.Length - split), arena.ViewOf(_bias));
    }

    private Tensor<float> Planned(Tensor<float>? buffer) => buffer ?? throw new InvalidOperationException($"{Name} has not been planned");

    private ArrayView<float> GateRows(Tensor<float> gates, int t) =>
        gates.View.SubView((long)t * _streams * 4 * _units, (long)_streams * 4 * _units);

    private ArrayView<float> Slots(Tensor<float> states, int first, int count) =>
        states.View.SubView((long)first * StateSize, (long)count * StateSize);

    private void DisposeBuffers()
    {
        foreach (var t in new[] { _gates, _hidden, _cell, _dGates, _dCell }) t?.Dispose();
        _gates = _hidden = _cell = _dGates = _dCell = null;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        DisposeBuffers();
        base.Dispose();
    }
}
