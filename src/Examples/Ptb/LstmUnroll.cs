using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The ptb_word_lm graph for one batch shape (batch streams x num_steps words): embedding, dropout,
/// stacked LSTM layers with dropout on each output, softmax over the vocabulary, and the tutorial's
/// loss, the cross-entropy summed over time steps and averaged over the batch. The tutorial builds
/// one such graph for training and others, sharing the weights, for validation and test: so does
/// this, planning its own blocks over <see cref="LstmLanguageModel.Weights"/>. All buffers are
/// allocated once; a step only uploads ids and launches kernels. The passes are in
/// LstmUnroll.Passes.cs, the carried state in LstmUnroll.State.cs.
/// </summary>
public sealed partial class LstmUnroll : ITrainable<SequenceBatch>, IHostState, IDisposable
{
    private readonly LstmLanguageModel _model;
    private readonly Embedding _embedding;
    private readonly Lstm[] _layers;
    private readonly Dense _softmax;
    private readonly Dropout[] _dropouts = []; // site 0 on the embedding, site l + 1 on layer l's output
    private readonly SequenceSoftmaxCrossEntropy _loss;
    private readonly Tensor<float> _embedded, _logits;
    private readonly Tensor<float>[] _outputs, _droppedOutputs = [], _dOutputs = [];
    private readonly Tensor<float>? _droppedInput, _dScratch;
    private readonly int[] _hostIds, _hostTargets;
    private readonly HostVariable<float>[] _state;

    /// <summary>Plans the graph for <paramref name="batch"/> streams of <paramref name="steps"/> words.</summary>
    /// <param name="model">The shared parameters.</param>
    /// <param name="batch">Streams per batch.</param>
    /// <param name="steps">Words per stream per batch.</param>
    /// <param name="trainable">Whether <see cref="Backward"/> will be called (allocates the gradient buffers).</param>
    public LstmUnroll(LstmLanguageModel model, int batch, int steps, bool trainable)
    {
        if (batch < 1 || steps < 1) throw new ArgumentException($"an unrolled LSTM needs a positive batch and step count; got {batch} x {steps}", batch < 1 ? nameof(batch) : nameof(steps));
        (_model, Batch, Steps, Trainable) = (model, batch, steps, trainable);
        var (config, weights, device) = (model.Config, model.Weights, model.Device);
        int rows = batch * steps, h = config.HiddenSize, v = model.VocabSize;
        _embedding = LstmLanguageModel.EmbeddingBlock(config, v);
        _embedding.Plan(weights.Context(steps), rows);
        _layers = Enumerable.Range(0, config.NumLayers).Select(l => weights.Plan(LstmLanguageModel.LstmBlock(config, l), [h], rows, steps)).ToArray();
        _softmax = weights.Plan(LstmLanguageModel.SoftmaxBlock(v), [h], rows, steps);
        _loss = new SequenceSoftmaxCrossEntropy(device, batch, steps, v);
        _embedded = new Tensor<float>(device, new Shape(rows, h));
        _outputs = _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray();
        _logits = new Tensor<float>(device, new Shape(rows, v));
        if (trainable && config.KeepProb < 1f)
        {
            _dropouts = Enumerable.Range(0, _layers.Length + 1)
                .Select(site => weights.Plan(Dropout.Keeping(config.KeepProb, $"Model/dropout_{site}", (ulong)(site + 1) << 48), [h], rows, steps))
                .ToArray();
            _droppedInput = new Tensor<float>(device, new Shape(rows, h));
            _droppedOutputs = _layers.Select(_ => new Tensor<float>(device, new Shape(rows, h))).ToArray();
        }
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

    /// <summary>Streams per batch.</summary>
    public int Batch { get; }

    /// <summary>Words per stream per batch.</summary>
    public int Steps { get; }

    /// <summary>Whether the graph can go backward.</summary>
    public bool Trainable { get; }

    /// <summary>When set, each phase (embedding, every layer, softmax and loss) is timed into it, forward and backward.</summary>
    public StepProfile? Profile { get; set; }

    /// <inheritdoc />
    /// <remarks>The state is reset at each epoch's first batch, as the tutorial does.</remarks>
    public float ComputeGradients(SequenceBatch batch, PassContext pass)
    {
        if (batch.StartsEpoch) ResetState();
        float cost = ForwardPass(batch.Inputs.Span, batch.Targets.Span, pass);
        Backward();
        return cost;
    }

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
