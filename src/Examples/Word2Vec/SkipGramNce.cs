using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Examples.Word2Vec;

/// <summary>
/// The word2vec_basic tutorial's model: an embedding table (<c>embeddings</c> [V, D] uniform in
/// [-1, 1)) trained through the sampled <see cref="NceLoss"/> (<c>nce_weights</c> [V, D] truncated
/// normal with stddev 1/sqrt(D), <c>nce_biases</c> [V] zeros) by plain SGD on the rows a step touched
/// (<see cref="Runtime.Optimizers.RowSparseSgd"/>). Candidates are keyed by the model's seed and the global
/// step, so a resumed run draws what the uninterrupted one would have.
/// </summary>
public sealed class SkipGramNce : ITrainable<WordPairBatch>, IRowSparseGradients, IDisposable
{
    private readonly IGemmEngine _gemm;
    private readonly NceLoss _loss;
    private readonly ulong _seed;

    /// <summary>A freshly initialized model.</summary>
    /// <param name="device">Where the tables and the step run.</param>
    /// <param name="vocabularySize">V.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="batchSize">Examples per step.</param>
    /// <param name="options">Sampling, loss and learning rate.</param>
    /// <param name="seed">Seed of the initial values and of the candidates.</param>
    /// <exception cref="ArgumentException">A size is not positive, or unique sampling asks for more candidates than words.</exception>
    public SkipGramNce(Device device, int vocabularySize, int embeddingSize, int batchSize, NceOptions options, ulong seed)
    {
        if (vocabularySize < 2)
            throw new ArgumentException($"the vocabulary needs at least 2 words; got {vocabularySize}", nameof(vocabularySize));
        if (embeddingSize < 1) throw new ArgumentException($"embedding size must be positive; got {embeddingSize}", nameof(embeddingSize));
        if (batchSize < 1) throw new ArgumentException($"batch size must be positive; got {batchSize}", nameof(batchSize));
        if (options.NumSampled < 1 || (options.Unique && options.NumSampled > vocabularySize))
            throw new ArgumentException(
                $"candidates per step must be in [1, vocabulary size {vocabularySize}]; got {options.NumSampled}", "options.NumSampled");
        Device = device;
        Options = options;
        VocabularySize = vocabularySize;
        EmbeddingSize = embeddingSize;
        BatchSize = batchSize;
        _seed = seed;
        _loss = new NceLoss(vocabularySize, embeddingSize, options);
        var layout = new ArenaLayout();
        Embeddings = layout.Add("embeddings", new Shape(vocabularySize, embeddingSize));
        foreach (var spec in _loss.Parameters) layout.Add(spec.Name, spec.Shape);
        Parameters = new ParameterArena(device, layout);
        Weights = Parameters[_loss.WeightsName];
        Biases = Parameters[_loss.BiasesName];
        new RandomUniform(-1f, 1f).Fill(Parameters, Embeddings, seed);
        _loss.Parameters[0].Initializer.Fill(Parameters, Weights, seed + 1);
        _gemm = GemmEngines.For(device);
        _loss.Plan(device, Parameters, _gemm, Embeddings.Name, batchSize);
    }

    /// <summary>The device the model lives on.</summary>
    public Device Device { get; }

    /// <summary>Sampling, loss and learning rate.</summary>
    public NceOptions Options { get; }

    /// <summary>V.</summary>
    public int VocabularySize { get; }

    /// <summary>D.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; }

    /// <summary><c>embeddings</c>, <c>nce_weights</c> and <c>nce_biases</c>.</summary>
    public ParameterArena Parameters { get; }

    /// <summary>The embedding table, [V, D].</summary>
    public ArenaSlice Embeddings { get; }

    /// <summary>The NCE weights, [V, D].</summary>
    public ArenaSlice Weights { get; }

    /// <summary>The NCE biases, [V].</summary>
    public ArenaSlice Biases { get; }

    /// <summary>When set, each phase of a step is timed into it (and synchronized: profile, then detach).</summary>
    public StepProfile? Profile
    {
        get => _loss.Profile;
        set => _loss.Profile = value;
    }

    /// <inheritdoc />
    ParameterArena ITrainable.Parameters => Parameters;

    /// <summary>None: the gradients are row-sparse, in the loss's work buffers.</summary>
    public ParameterArena? Gradients => null;

    /// <inheritdoc />
    public RowSparseGradients RowSparseGradients => _loss.RowSparseGradients;

    /// <summary>
    /// The NCE loss of (centre word, context word) pairs with the candidates of global step
    /// <paramref name="pass"/>.Step, and its row-sparse gradients; returns the batch's mean loss.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is not <see cref="BatchSize"/> long or holds an id outside the vocabulary.</exception>
    public float ComputeGradients(WordPairBatch batch, PassContext pass)
    {
        float loss = Loss(batch.Inputs.Span, batch.Labels.Span, pass.Step);
        _loss.Backward();
        return loss;
    }

    /// <summary>The mean NCE loss with the candidates of global step <paramref name="step"/>, without updating anything.</summary>
    /// <exception cref="ArgumentException">The spans are not <see cref="BatchSize"/> long or hold an id outside the vocabulary.</exception>
    public float Loss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> labels, long step) =>
        _loss.Forward(new PassContext(Training: true, _seed, step), inputs, labels);

    /// <summary>The candidates the last step (or loss) drew and the number of draws it took.</summary>
    public (int[] Sampled, int Tries) LastCandidates() => _loss.LastCandidates();

    /// <inheritdoc />
    public void Dispose()
    {
        _loss.Dispose();
        _gemm.Dispose();
        Parameters.Dispose();
    }
}
