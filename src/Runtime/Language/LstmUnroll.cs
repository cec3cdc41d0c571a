using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// The ptb_word_lm graph for one batch shape (batch streams x num_steps words): embedding, dropout,
/// stacked LSTM layers with dropout on each output, softmax over the vocabulary, and the
/// tutorial's loss, the cross-entropy summed over time steps and averaged over the batch. The LSTM
/// state is carried from batch to batch until <see cref="ResetState"/>. The tutorial builds one
/// such graph for training and others, sharing the weights, for validation and test: so does this.
/// It is composed of the public building blocks: <see cref="Embedding"/>, <see cref="Lstm"/> layers,
/// <see cref="Dense"/> over every time step and <see cref="SequenceSoftmaxCrossEntropy"/>.
/// All buffers are allocated once; a step only uploads ids and launches kernels. As a trainable
/// model it resets the state at each epoch's first batch, and contributes the carried state to the
/// checkpoint as <c>Model/state/cell_L/c</c> and <c>.../h</c>, [batch, hidden].
/// </summary>
public sealed class LstmUnroll : ITrainable<SequenceBatch>, IHostState, IDisposable
{
    private readonly LstmLanguageModel _model;
    private readonly Embedding _embedding;
    private readonly Lstm[] _layers;
    private readonly Dense _softmax;
    private readonly SequenceSoftmaxCrossEntropy _loss;
    private readonly Tensor<float> _embedded, _logits;
    private readonly Tensor<float>[] _outputs;
    private readonly Tensor<float>? _droppedInput;
    private readonly Tensor<float>[] _droppedOutputs;
    private readonly Tensor<float>[] _dOutputs = [];
    private readonly Tensor<float>? _dScratch;
    private readonly int[] _hostIds, _hostTargets;
    private readonly HostVariable<float>[] _state;
    private PassContext _pass;
    private bool _dropout;

    /// <summary>Plans the graph for <paramref name="batch"/> streams of <paramref name="steps"/> words.</summary>
    /// <param name="model">The shared parameters.</param>
    /// <param name="batch">Streams per batch.</param>
    /// <param name="steps">Words per stream per batch.</param>
    /// <param name="trainable">Whether <see cref="Backward"/> will be called (allocates the gradient buffers).</param>
    public LstmUnroll(LstmLanguageModel model, int batch, int steps, bool trainable)
    {
        if (batch < 1 || steps < 1) throw new ArgumentException($"an unrolled LSTM needs a positive batch and step count; got {batch} x {steps}");
        _model = model;
        Batch = batch;
        Steps = steps;
        Trainable = trainable;
        var device = model.Device;
        int rows = batch * steps, h = model.Config.HiddenSize, v = model.VocabSize;
        var context = new ModelContext(device, model.Parameters, model.Gradients, model.Gemm) { Steps = steps };
        _embedding = LstmLanguageModel.EmbeddingLayer(model.Config, v, new Zeros());
        _embedding.Plan(context, rows);
        _layers = new Lstm[model.Config.NumLayers];
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l] = LstmLanguageModel.LstmLayer(model.Config, l);
            _layers[l].Plan(context, rows);
        }
        _softmax = LstmLanguageModel.SoftmaxLayer(v, model.Config);
        _softmax.Plan(context, rows);
        _loss = new SequenceSoftmaxCrossEntropy(device, batch, steps, v);
        _embedded = new Tensor<float>(device, new Shape(rows, h));
        _outputs = _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray();
        _logits = new Tensor<float>(device, new Shape(rows, v));
        bool dropout = trainable && model.Config.KeepProb < 1f;
        _droppedInput = dropout ? new Tensor<float>(device, new Shape(rows, h)) : null;
        _droppedOutputs = dropout ? _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray() : [];
        if (trainable)
        {
            _dOutputs = _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray();
            _dScratch = new Tensor<float>(device, new Shape(rows, h));
        }
        _hostIds = new int[rows];
        _hostTargets = new int[rows];
        _state = Enumerable.Range(0, _layers.Length)
            .SelectMany(l => new[] { "c", "h" }.Select(part =>
                new HostVariable<float>($"Model/state/cell_{l}/{part}", DataType.DtFloat, [batch, h])))
            .ToArray();
    }

    /// <inheritdoc />
    public Device Device => _model.Device;

    /// <inheritdoc />
    public ParameterArena Parameters => _model.Parameters;

    /// <inheritdoc />
    public ParameterArena? Gradients => _model.Gradients;

    /// <inheritdoc />
    public float ComputeGradients(SequenceBatch batch, PassContext pass)
    {
        if (batch.StartsEpoch) ResetState();
        float cost = Forward(batch.Inputs.Span, batch.Targets.Span, pass.Training, pass.Seed, pass.Step);
        Backward();
        return cost;
    }

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => _state;

    /// <inheritdoc />
    public void CaptureHostState()
    {
        var state = DownloadState();
        for (int i = 0; i < state.Length; i++) state[i].CopyTo(_state[i].Values, 0);
    }

    /// <inheritdoc />
    public void RestoreHostState() => UploadState(_state.Select(s => s.Values).ToArray());

    /// <summary>Streams per batch.</summary>
    public int Batch { get; }

    /// <summary>Words per stream per batch.</summary>
    public int Steps { get; }

    /// <summary>Whether the graph can go backward.</summary>
    public bool Trainable { get; }

    /// <summary>When set, each phase (embedding, every layer, softmax and loss) is timed into it, forward and backward.</summary>
    public StepProfile? Profile { get; set; }

    /// <summary>Zeroes every layer's state (the tutorial does at the start of each epoch).</summary>
    public void ResetState()
    {
        foreach (var layer in _layers) layer.ResetState();
    }

    /// <summary>
    /// The carried state (after the last batch; the next batch starts from it), layer by layer:
    /// (c, h) each [batch, hidden], as the tutorial's final_state.
    /// </summary>
    public float[][] DownloadState() =>
        _layers.SelectMany(l => new[] { ToHost(l.CarriedCell), ToHost(l.CarriedHidden) }).ToArray();

    /// <summary>Sets the carried state, the next batch's initial state, in <see cref="DownloadState"/>'s order.</summary>
    /// <exception cref="ArgumentException">The arrays do not match the layers and batch.</exception>
    public void UploadState(float[][] state)
    {
        int size = Batch * _model.Config.HiddenSize;
        if (state.Length != 2 * _layers.Length || state.Any(s => s.Length != size))
            throw new ArgumentException($"an LSTM state for {_layers.Length} layers needs {2 * _layers.Length} arrays of {size} floats", nameof(state));
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].CarriedCell.CopyFromCPU(state[2 * l]);
            _layers[l].CarriedHidden.CopyFromCPU(state[2 * l + 1]);
        }
    }

    /// <summary>
    /// Runs the graph on one batch and returns its cost: the cross-entropy summed over the steps and
    /// averaged over the streams (the tutorial's <c>cost</c>). <paramref name="inputs"/> and
    /// <paramref name="targets"/> are batch-major [batch, steps] word ids, as ptb_producer yields.
    /// Dropout is active when <paramref name="training"/>, its masks keyed by (<paramref name="seed"/>,
    /// <paramref name="step"/>). The final state is kept: call <see cref="Backward"/> before the next
    /// Forward, which starts from it.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths or an id outside the vocabulary.</exception>
    public float Forward(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, bool training, ulong seed = 0, long step = 0)
    {
        if (training && !Trainable) throw new InvalidOperationException("this unrolled graph was planned for evaluation only");
        ToTimeMajor(inputs, targets);
        _pass = new PassContext(training, seed, step);
        _dropout = training && _droppedInput is not null;
        long start = Mark();
        _embedding.Forward(_pass, _hostIds, _embedded.View);
        var x = Drop(0, _embedded.View, _droppedInput);
        start = Phase("embedding.forward", start);
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Forward(_pass, x, _outputs[l].View);
            x = Drop(l + 1, _outputs[l].View, _dropout ? _droppedOutputs[l] : null);
            start = Phase($"lstm{l}.forward", start);
        }
        _softmax.Forward(_pass, x, _logits.View);
        float cost = _loss.Forward(_logits.View, _hostTargets);
        Phase("softmax+loss.forward", start);
        return cost;
    }

    /// <summary>
    /// Back-propagates the last <see cref="Forward"/>'s cost into <see cref="LstmLanguageModel.Gradients"/>
    /// (accumulating). When given, <paramref name="dInitialState"/> receives dCost/d(initial state) in
    /// <see cref="DownloadState"/>'s order (for gradient checks; training passes nothing).
    /// </summary>
    public void Backward(ArrayView<float>[]? dInitialState = null)
    {
        if (!Trainable) throw new InvalidOperationException("this unrolled graph was planned for evaluation only");
        int top = _layers.Length - 1;
        long start = Mark();
        var dLogits = _loss.Backward();
        var lastOutput = _dropout ? _droppedOutputs[top].View : _outputs[top].View;
        var dTop = _dropout ? _dScratch!.View : _dOutputs[top].View;
        _softmax.Backward(_pass, lastOutput, _logits.View, dLogits, dTop);
        UndoDrop(top + 1, dTop, _dOutputs[top].View);
        start = Phase("softmax+loss.backward", start);
        for (int l = top; l >= 0; l--)
        {
            var input = l == 0 ? (_dropout ? _droppedInput!.View : _embedded.View)
                : _dropout ? _droppedOutputs[l - 1].View : _outputs[l - 1].View;
            // dx lands in the scratch when it still has to pass a dropout mask, else in place: for
            // layer 0 over the embedded rows, which the layer reads for its weight gradient first.
            var below = l == 0 ? _embedded.View : _dOutputs[l - 1].View;
            var dx = _dropout ? _dScratch!.View : below;
            _layers[l].Backward(input, _dOutputs[l].View, dx,
                dInitialState?[2 * l + 1] ?? default, dInitialState?[2 * l] ?? default);
            UndoDrop(l, dx, below);
            start = Phase($"lstm{l}.backward", start);
        }
        _embedding.Backward(_embedded.View);
        Phase("embedding.backward", start);
    }

    private long Mark() => Profile?.Start(_model.Device) ?? 0;

    /// <summary>Closes a profiled phase begun at <paramref name="start"/>; returns the start of the next.</summary>
    private long Phase(string name, long start)
    {
        if (Profile is null) return 0;
        Profile.Stop(_model.Device, name, start);
        return Profile.Start(_model.Device);
    }

    private static float[] ToHost(ArrayView<float> view)
    {
        var host = new float[view.Length];
        view.CopyToCPU(host);
        return host;
    }

    private void ToTimeMajor(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        int rows = Batch * Steps;
        if (inputs.Length != rows || targets.Length != rows)
            throw new ArgumentException($"a batch of {Batch} x {Steps} needs {rows} inputs and targets; got {inputs.Length} and {targets.Length}");
        // ptb_producer's batches are [batch, steps]; the graph is time-major.
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < Steps; t++)
            {
                int id = inputs[b * Steps + t], target = targets[b * Steps + t];
                if ((uint)id >= (uint)_model.VocabSize || (uint)target >= (uint)_model.VocabSize)
                    throw new ArgumentException($"word id {Math.Max(id, target)} (or a negative one) is outside the vocabulary of {_model.VocabSize}");
                _hostIds[t * Batch + b] = id;
                _hostTargets[t * Batch + b] = target;
            }
    }

    /// <summary>Dropout site <paramref name="site"/> (0: embedding, l + 1: layer l's output) into <paramref name="dropped"/>, or x itself when off.</summary>
    private ArrayView<float> Drop(int site, ArrayView<float> x, Tensor<float>? dropped)
    {
        if (!_dropout || dropped is null) return x;
        Mask(site, x, dropped.View);
        return dropped.View;
    }

    /// <summary>The gradient through dropout site <paramref name="site"/>: the same mask, from <paramref name="dDropped"/> into <paramref name="dx"/>.</summary>
    private void UndoDrop(int site, ArrayView<float> dDropped, ArrayView<float> dx)
    {
        if (_dropout) Mask(site, dDropped, dx);
    }

    private void Mask(int site, ArrayView<float> input, ArrayView<float> output) =>
        DropoutOps.Apply(_model.Device, input, output, _pass.Seed, ((ulong)(site + 1) << 48) ^ (ulong)_pass.Step, _model.Config.KeepProb);

    /// <inheritdoc />
    public void Dispose()
    {
        _embedding.Dispose();
        foreach (var layer in _layers) layer.Dispose();
        _softmax.Dispose();
        _loss.Dispose();
        foreach (var t in new[] { _embedded, _logits, _droppedInput, _dScratch }.Concat(_outputs).Concat(_droppedOutputs).Concat(_dOutputs)) t?.Dispose();
    }
}
