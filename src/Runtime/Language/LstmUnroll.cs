using GpuTrain.Kernels;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Layers;
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
/// All buffers are allocated once; a step only uploads ids and launches kernels. As a trainable
/// model it resets the state at each epoch's first batch, and contributes the carried state to the
/// checkpoint as <c>Model/state/cell_L/c</c> and <c>.../h</c>, [batch, hidden].
/// </summary>
public sealed class LstmUnroll : ITrainable<SequenceBatch>, IHostState, IDisposable
{
    private readonly LstmLanguageModel _model;
    private readonly LstmLayer[] _layers;
    private readonly Tensor<int> _ids, _targets;
    private readonly Tensor<float> _embedded, _logits, _probs, _losses;
    private readonly Tensor<float>? _droppedInput;
    private readonly Tensor<float>[] _droppedOutputs;
    private readonly Tensor<float>[] _dOutputs = [];
    private readonly Tensor<float>? _dScratch;
    private readonly EmbeddingOccurrences? _occurrences;
    private readonly int[] _hostIds, _hostTargets;
    private readonly float[] _hostLosses;
    private readonly HostVariable<float>[] _state;
    private PassState _pass;

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
        _layers = new LstmLayer[model.Config.NumLayers];
        for (int l = 0; l < _layers.Length; l++) _layers[l] = new LstmLayer(model, l, batch, steps, trainable);
        _ids = new Tensor<int>(device, new Shape(rows));
        _targets = new Tensor<int>(device, new Shape(rows));
        _embedded = new Tensor<float>(device, new Shape(rows, h));
        _logits = new Tensor<float>(device, new Shape(rows, v));
        _probs = new Tensor<float>(device, new Shape(rows, v));
        _losses = new Tensor<float>(device, new Shape(rows));
        bool dropout = trainable && model.Config.KeepProb < 1f;
        _droppedInput = dropout ? new Tensor<float>(device, new Shape(rows, h)) : null;
        _droppedOutputs = dropout ? _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray() : [];
        if (trainable)
        {
            _dOutputs = _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray();
            _dScratch = new Tensor<float>(device, new Shape(rows, h));
            _occurrences = new EmbeddingOccurrences(device, rows);
        }
        _hostIds = new int[rows];
        _hostTargets = new int[rows];
        _hostLosses = new float[rows];
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
        _layers.SelectMany(l => new[] { ToHost(l.FinalCell), ToHost(l.FinalHidden) }).ToArray();

    /// <summary>Sets the carried state, the next batch's initial state, in <see cref="DownloadState"/>'s order.</summary>
    /// <exception cref="ArgumentException">The arrays do not match the layers and batch.</exception>
    public void UploadState(float[][] state)
    {
        int size = Batch * _model.Config.HiddenSize;
        if (state.Length != 2 * _layers.Length || state.Any(s => s.Length != size))
            throw new ArgumentException($"an LSTM state for {_layers.Length} layers needs {2 * _layers.Length} arrays of {size} floats", nameof(state));
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].FinalCell.CopyFromCPU(state[2 * l]);
            _layers[l].FinalHidden.CopyFromCPU(state[2 * l + 1]);
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
        Upload(inputs, targets);
        var m = _model;
        var device = m.Device;
        int h = m.Config.HiddenSize, v = m.VocabSize;
        _pass = new PassState(training && _droppedInput is not null, seed, step);
        long start = Mark();
        EmbeddingOps.Gather(device, _ids.View, m.Parameters.ViewOf(m.Embedding), h, _embedded.View);
        var x = Drop(0, _embedded.View, _droppedInput);
        start = Phase("embedding.forward", start);
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Forward(x);
            x = Drop(l + 1, _layers[l].Output, _pass.Dropout ? _droppedOutputs[l] : null);
            start = Phase($"lstm{l}.forward", start);
        }
        m.Gemm.Gemm(false, false, Batch * Steps, v, h, 1f, x, h, m.Parameters.ViewOf(m.SoftmaxWeights), v, 0f, _logits.View, v);
        BiasOps.Add(device, _logits.View, m.Parameters.ViewOf(m.SoftmaxBias), _logits.View);
        SoftmaxOps.CrossEntropy(device, _logits.View, _targets.View, v, _probs.View, _losses.View);
        _losses.View.CopyToCPU(_hostLosses);
        double sum = 0;
        foreach (float loss in _hostLosses) sum += loss;
        Phase("softmax+loss.forward", start);
        return (float)(sum / Batch);
    }

    /// <summary>
    /// Back-propagates the last <see cref="Forward"/>'s cost into <see cref="LstmLanguageModel.Gradients"/>
    /// (accumulating). When given, <paramref name="dInitialState"/> receives dCost/d(initial state) in
    /// <see cref="DownloadState"/>'s order (for gradient checks; training passes nothing).
    /// </summary>
    public void Backward(ArrayView<float>[]? dInitialState = null)
    {
        if (!Trainable) throw new InvalidOperationException("this unrolled graph was planned for evaluation only");
        var m = _model;
        var device = m.Device;
        int h = m.Config.HiddenSize, v = m.VocabSize, rows = Batch * Steps, top = _layers.Length - 1;
        long start = Mark();
        var dLogits = _probs.View;
        SoftmaxOps.CrossEntropyGrad(device, _probs.View, _targets.View, v, dLogits, 1f / Batch);
        var lastOutput = _pass.Dropout ? _droppedOutputs[top].View : _layers[top].Output;
        m.Gemm.Gemm(true, false, h, v, rows, 1f, lastOutput, h, dLogits, v, 1f, m.Gradients.ViewOf(m.SoftmaxWeights), v);
        BiasOps.Grad(device, dLogits, m.Gradients.ViewOf(m.SoftmaxBias));
        var dTop = _pass.Dropout ? _dScratch!.View : _dOutputs[top].View;
        m.Gemm.Gemm(false, true, rows, h, v, 1f, dLogits, v, m.Parameters.ViewOf(m.SoftmaxWeights), v, 0f, dTop, h);
        UndoDrop(top + 1, dTop, _dOutputs[top].View);
        start = Phase("softmax+loss.backward", start);
        for (int l = top; l >= 0; l--)
        {
            var input = l == 0 ? (_pass.Dropout ? _droppedInput!.View : _embedded.View)
                : _pass.Dropout ? _droppedOutputs[l - 1].View : _layers[l - 1].Output;
            // dx lands in the scratch when it still has to pass a dropout mask, else in place: for
            // layer 0 over the embedded rows, which the layer reads for its weight gradient first.
            var below = l == 0 ? _embedded.View : _dOutputs[l - 1].View;
            var dx = _pass.Dropout ? _dScratch!.View : below;
            _layers[l].Backward(input, _dOutputs[l].View, dx,
                dInitialState?[2 * l + 1] ?? default, dInitialState?[2 * l] ?? default);
            UndoDrop(l, dx, below);
            start = Phase($"lstm{l}.backward", start);
        }
        EmbeddingOps.Backward(device, _occurrences!, _embedded.View, h, m.Gradients.ViewOf(m.Embedding));
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

    private void Upload(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
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
        _ids.Upload(_hostIds);
        _targets.Upload(_hostTargets);
        _occurrences?.Upload(_hostIds);
    }

    /// <summary>Dropout site <paramref name="site"/> (0: embedding, l + 1: layer l's output) into <paramref name="dropped"/>, or x itself when off.</summary>
    private ArrayView<float> Drop(int site, ArrayView<float> x, Tensor<float>? dropped)
    {
        if (!_pass.Dropout || dropped is null) return x;
        Mask(site, x, dropped.View);
        return dropped.View;
    }

    /// <summary>The gradient through dropout site <paramref name="site"/>: the same mask, from <paramref name="dDropped"/> into <paramref name="dx"/>.</summary>
    private void UndoDrop(int site, ArrayView<float> dDropped, ArrayView<float> dx)
    {
        if (_pass.Dropout) Mask(site, dDropped, dx);
    }

    private void Mask(int site, ArrayView<float> input, ArrayView<float> output) =>
        DropoutOps.Apply(_model.Device, input, output, _pass.Seed, ((ulong)(site + 1) << 48) ^ (ulong)_pass.Step, _model.Config.KeepProb);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in _layers) layer.Dispose();
        foreach (var t in new[] { _ids, _targets }) t.Dispose();
        foreach (var t in new[] { _embedded, _logits, _probs, _losses, _droppedInput, _dScratch }.Concat(_droppedOutputs).Concat(_dOutputs)) t?.Dispose();
        _occurrences?.Dispose();
    }

    private readonly record struct PassState(bool Dropout, ulong Seed, long Step);
}
