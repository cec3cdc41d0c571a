using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// One BasicLSTMCell layer unrolled over <c>steps</c> time steps of a batch, time-major: step t's
/// rows are <c>[t·batch, (t+1)·batch)</c>. The input half of the matmul, <c>X·W_x + b</c>, is one
/// GEMM over all steps; each step then adds <c>h_{t-1}·W_h</c> and runs the fused cell. The hidden
/// and cell states live in buffers of steps + 1 slots: slot 0 is the initial state and slot t + 1
/// the state after step t, so the layer's output is slots 1..steps and the recurrent GEMMs of the
/// backward pass read slots 0..steps-1 as one matrix.
/// </summary>
internal sealed class LstmLayer : IDisposable
{
    private readonly LstmLanguageModel _model;
    private readonly int _layer, _batch, _steps, _units, _inputs;
    private readonly Tensor<float> _gates, _hidden, _cell, _dGates, _dCell;

    public LstmLayer(LstmLanguageModel model, int layer, int batch, int steps, bool trainable)
    {
        _model = model;
        _layer = layer;
        _batch = batch;
        _steps = steps;
        _units = model.Config.HiddenSize;
        _inputs = model.Config.HiddenSize;
        var device = model.Device;
        _gates = new Tensor<float>(device, new Shape(steps * batch, 4 * _units));
        _hidden = new Tensor<float>(device, new Shape(steps + 1, batch, _units));
        _cell = new Tensor<float>(device, new Shape(steps + 1, batch, _units));
        _hidden.Clear();
        _cell.Clear();
        // Evaluation graphs never go backward: one element keeps the fields non-null and costs nothing.
        int gradRows = trainable ? steps * batch : 1;
        _dGates = new Tensor<float>(device, new Shape(gradRows, 4 * _units));
        _dCell = new Tensor<float>(device, new Shape(trainable ? batch * _units : 1));
    }

    private int StateSize => _batch * _units;

    /// <summary>The outputs h_1..h_steps, [steps·batch, units].</summary>
    public ArrayView<float> Output => Slots(_hidden, 1, _steps);

    /// <summary>The hidden state after the last step: the state carried into the next batch.</summary>
    public ArrayView<float> FinalHidden => Slots(_hidden, _steps, 1);

    /// <summary>The cell state after the last step: the state carried into the next batch.</summary>
    public ArrayView<float> FinalCell => Slots(_cell, _steps, 1);

    private ArrayView<float> InitialHidden => Slots(_hidden, 0, 1);

    private ArrayView<float> InitialCell => Slots(_cell, 0, 1);

    /// <summary>Zeroes the carried state (the start of an epoch).</summary>
    public void ResetState()
    {
        ElementwiseOps.Zero(_model.Device, FinalHidden);
        ElementwiseOps.Zero(_model.Device, FinalCell);
    }

    /// <summary>
    /// Runs the layer over <paramref name="x"/>, [steps·batch, inputs], from the carried state: the
    /// previous batch's final state (truncated BPTT) becomes this batch's initial state.
    /// </summary>
    public void Forward(ArrayView<float> x)
    {
        FinalHidden.CopyTo(InitialHidden);
        FinalCell.CopyTo(InitialCell);
        var m = _model;
        var (wx, wh, bias) = Weights(m.Parameters);
        int rows = _steps * _batch, gateWidth = 4 * _units;
        m.Gemm.Gemm(false, false, rows, gateWidth, _inputs, 1f, x, _inputs, wx, gateWidth, 0f, _gates.View, gateWidth);
        BiasOps.Add(m.Device, _gates.View, bias, _gates.View);
        for (int t = 0; t < _steps; t++)
        {
            var gates = GateRows(_gates, t);
            m.Gemm.Gemm(false, false, _batch, gateWidth, _units, 1f, Slots(_hidden, t, 1), _units, wh, gateWidth, 1f, gates, gateWidth);
            LstmOps.CellForward(m.Device, gates, Slots(_cell, t, 1), _units, m.Config.ForgetBias, Slots(_cell, t + 1, 1), Slots(_hidden, t + 1, 1));
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="dOutput"/> (dL/dh_t for every step, [steps·batch, units];
    /// overwritten: it receives the recurrent gradients as the pass walks back) into the weight
    /// gradients and, when not empty, into <paramref name="dx"/> (overwritten) and the gradients of
    /// the initial state <paramref name="dInitialHidden"/> and <paramref name="dInitialCell"/>.
    /// The final state's gradient is zero: truncated back-propagation stops at the batch boundary.
    /// </summary>
    public void Backward(ArrayView<float> x, ArrayView<float> dOutput, ArrayView<float> dx,
        ArrayView<float> dInitialHidden = default, ArrayView<float> dInitialCell = default)
    {
        var m = _model;
        var device = m.Device;
        var (wx, wh, _) = Weights(m.Parameters);
        var (dwx, dwh, dbias) = Weights(m.Gradients);
        int rows = _steps * _batch, gateWidth = 4 * _units;
        _dCell.Clear();
        for (int t = _steps - 1; t >= 0; t--)
        {
            var dGates = GateRows(_dGates, t);
            LstmOps.CellBackward(device, GateRows(_gates, t), Slots(_cell, t, 1), Slots(_cell, t + 1, 1),
                dOutput.SubView((long)t * StateSize, StateSize), _units, m.Config.ForgetBias, _dCell.View, dGates);
            var dPrevious = t > 0 ? dOutput.SubView((long)(t - 1) * StateSize, StateSize) : dInitialHidden;
            if (dPrevious.Length > 0)
                m.Gemm.Gemm(false, true, _batch, _units, gateWidth, 1f, dGates, gateWidth, wh, gateWidth, t > 0 ? 1f : 0f, dPrevious, _units);
        }
        if (dInitialCell.Length > 0) _dCell.View.CopyTo(dInitialCell);
        m.Gemm.Gemm(true, false, _inputs, gateWidth, rows, 1f, x, _inputs, _dGates.View, gateWidth, 1f, dwx, gateWidth);
        m.Gemm.Gemm(true, false, _units, gateWidth, rows, 1f, Slots(_hidden, 0, _steps), _units, _dGates.View, gateWidth, 1f, dwh, gateWidth);
        BiasOps.Grad(device, _dGates.View, dbias);
        if (dx.Length > 0)
            m.Gemm.Gemm(false, true, rows, _inputs, gateWidth, 1f, _dGates.View, gateWidth, wx, gateWidth, 0f, dx, _inputs);
    }

    /// <summary>The input rows, recurrent rows and bias of this layer's tensors in <paramref name="arena"/>.</summary>
    private (ArrayView<float> Wx, ArrayView<float> Wh, ArrayView<float> Bias) Weights(ParameterArena arena)
    {
        var kernel = arena.ViewOf(_model.Kernel(_layer));
        long split = (long)_inputs * 4 * _units;
        return (kernel.SubView(0, split), kernel.SubView(split, kernel.Length - split), arena.ViewOf(_model.Bias(_layer)));
    }

    private ArrayView<float> GateRows(Tensor<float> gates, int t) =>
        gates.View.SubView((long)t * _batch * 4 * _units, (long)_batch * 4 * _units);

    private ArrayView<float> Slots(Tensor<float> states, int first, int count) =>
        states.View.SubView((long)first * StateSize, (long)count * StateSize);

    public void Dispose()
    {
        _gates.Dispose();
        _hidden.Dispose();
        _cell.Dispose();
        _dGates.Dispose();
        _dCell.Dispose();
    }
}
