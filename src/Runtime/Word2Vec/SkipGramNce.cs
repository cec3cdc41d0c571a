using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Word2Vec;

/// <summary>
/// The word2vec_basic tutorial's model: an embedding table, NCE weights and biases
/// (<c>embeddings</c> [V, D] uniform in [-1, 1), <c>nce_weights</c> [V, D] truncated normal with stddev
/// 1/sqrt(D), <c>nce_biases</c> [V] zeros), trained by tf.nn.nce_loss and plain SGD on sparse rows.
/// A step is one sampler launch, three kernels and three GEMMs over work buffers of the batch's
/// rows (see <see cref="NceKernels"/>); the loop allocates nothing. Candidates are a pure function
/// of (seed, global step), so a resumed run draws what the uninterrupted one would have. Its gradients
/// are row-sparse: <see cref="Optimizers.RowSparseSgd"/> applies them to the touched rows only.
/// </summary>
public sealed class SkipGramNce : ITrainable<WordPairBatch>, IRowSparseGradients, IDisposable
{
    private const ulong SamplerStream = 0x4E43_45UL << 40; // "NCE" in the high bits, the step below.
    private static readonly Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<int>, int, int, ulong, ulong> SampleKernel =
        CandidateSampling.SampleLogUniform;
    private static readonly Action<Index1D, NceViews> GatherKernel = NceKernels.Gather;
    private static readonly Action<Index1D, NceViews, int, int, int, int> LossKernel = NceKernels.Loss;
    private static readonly Action<Index1D, NceViews, float> SgdKernel = NceKernels.ApplySgd;

    private readonly IGemmEngine _gemm;
    private readonly List<IDisposable> _owned = [];
    private readonly NceViews _views;
    private readonly float[] _losses;
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
        var layout = new ArenaLayout();
        Embeddings = layout.Add("embeddings", new Shape(vocabularySize, embeddingSize));
        Weights = layout.Add("nce_weights", new Shape(vocabularySize, embeddingSize));
        Biases = layout.Add("nce_biases", new Shape(vocabularySize));
        Parameters = new ParameterArena(device, layout);
        new RandomUniform(-1f, 1f).Fill(Parameters, Embeddings, seed);
        new TruncatedNormal(1f / MathF.Sqrt(embeddingSize)).Fill(Parameters, Weights, seed + 1);
        _gemm = GemmEngines.For(device);
        _losses = new float[batchSize];
        _views = Plan(batchSize, options.NumSampled, embeddingSize);
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
    public StepProfile? Profile { get; set; }

    /// <inheritdoc />
    ParameterArena ITrainable.Parameters => Parameters;

    /// <summary>None: the gradients are row-sparse, in the step's work buffers.</summary>
    public ParameterArena? Gradients => null;

    /// <summary>
    /// The NCE loss of (centre word, context word) pairs with the candidates of global step
    /// <paramref name="pass"/>.Step, and its row-sparse gradients; returns the batch's mean loss.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is not <see cref="BatchSize"/> long or holds an id outside the vocabulary.</exception>
    public float ComputeGradients(WordPairBatch batch, PassContext pass)
    {
        float loss = Forward(batch.Inputs.Span, batch.Labels.Span, pass.Step);
        var v = _views;
        long start = Profile?.Start(Device) ?? 0;
        _gemm.Gemm(false, false, BatchSize, EmbeddingSize, Options.NumSampled, 1f, v.Logits, Options.NumSampled,
            v.SampledRows, EmbeddingSize, 0f, v.InputGrads, EmbeddingSize);
        _gemm.Gemm(true, false, Options.NumSampled, EmbeddingSize, BatchSize, 1f, v.Logits, Options.NumSampled,
            v.InputRows, EmbeddingSize, 0f, v.SampledGrads, EmbeddingSize);
        Mark("gradient gemms", start);
        return loss;
    }

    /// <inheritdoc />
    public void ApplySgd(float learningRate)
    {
        long start = Profile?.Start(Device) ?? 0;
        if (Device.RunsKernelsOnHost) HostNce.ApplySgd(_views, learningRate);
        else Sgd(SlotExtent, _views, learningRate);
        Mark("sgd", start);
        if (Profile is not null) Profile.Steps++;
    }

    /// <summary>The mean NCE loss with the candidates of global step <paramref name="step"/>, without updating anything.</summary>
    /// <exception cref="ArgumentException">The spans are not <see cref="BatchSize"/> long or hold an id outside the vocabulary.</exception>
    public float Loss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> labels, long step) => Forward(inputs, labels, step);

    /// <summary>The candidates the last step (or loss) drew and the number of draws it took.</summary>
    public (int[] Sampled, int Tries) LastCandidates()
    {
        var sampled = new int[Options.NumSampled];
        var tries = new int[1];
        _views.Sampled.CopyToCPU(sampled);
        _views.Tries.CopyToCPU(tries);
        return (sampled, tries[0]);
    }

    private int SlotExtent => 2 * BatchSize + Options.NumSampled;

    private float Forward(ReadOnlySpan<int> inputs, ReadOnlySpan<int> labels, long step)
    {
        Check(inputs, nameof(inputs));
        Check(labels, nameof(labels));
        var v = _views;
        long start = Profile?.Start(Device) ?? 0;
        v.Inputs.CopyFromCPU(inputs);
        v.Labels.CopyFromCPU(labels);
        start = Mark("upload", start);
        Sampler(1, v.Sampled, v.SampledLogCount, v.Tries, VocabularySize, Options.Unique ? 1 : 0,
            _seed, SamplerStream | (ulong)step);
        start = Mark("sample", start);
        if (Device.RunsKernelsOnHost) HostNce.Gather(v);
        else Gather(SlotExtent, v);
        start = Mark("gather", start);
        _gemm.Gemm(false, true, BatchSize, Options.NumSampled, EmbeddingSize, 1f, v.InputRows, EmbeddingSize,
            v.SampledRows, EmbeddingSize, 0f, v.Logits, Options.NumSampled);
        start = Mark("logits gemm", start);
        int unique = Options.Unique ? 1 : 0, subtract = Options.SubtractLogExpectedCount ? 1 : 0, removeHits = Options.RemoveAccidentalHits ? 1 : 0;
        if (Device.RunsKernelsOnHost) HostNce.Loss(v, VocabularySize, unique, subtract, removeHits);
        else LossTerms(BatchSize, v, VocabularySize, unique, subtract, removeHits);
        start = Mark("loss", start);
        v.Losses.CopyToCPU(_losses);
        Mark("download loss", start);
        float sum = 0f;
        foreach (float l in _losses) sum += l;
        return sum / BatchSize;
    }

    private long Mark(string phase, long start)
    {
        if (Profile is null) return 0;
        Profile.Stop(Device, phase, start);
        return Profile.Start(Device);
    }

    private void Check(ReadOnlySpan<int> ids, string name)
    {
        if (ids.Length != BatchSize) throw new ArgumentException($"{name}: a batch holds {BatchSize} ids; got {ids.Length}", name);
        foreach (int id in ids)
            if ((uint)id >= (uint)VocabularySize)
                throw new ArgumentException($"{name}: word id {id} is outside the vocabulary of {VocabularySize}", name);
    }

    private Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<int>, int, int, ulong, ulong> Sampler =>
        Device.Kernel(SampleKernel, acc => acc.LoadAutoGroupedStreamKernel(SampleKernel));

    private Action<Index1D, NceViews> Gather => Device.Kernel(GatherKernel, acc => acc.LoadAutoGroupedStreamKernel(GatherKernel));

    private Action<Index1D, NceViews, int, int, int, int> LossTerms =>
        Device.Kernel(LossKernel, acc => acc.LoadAutoGroupedStreamKernel(LossKernel));

    private Action<Index1D, NceViews, float> Sgd => Device.Kernel(SgdKernel, acc => acc.LoadAutoGroupedStreamKernel(SgdKernel));

    private NceViews Plan(int batch, int sampled, int dim) => new()
    {
        Embeddings = Parameters.ViewOf(Embeddings),
        Weights = Parameters.ViewOf(Weights),
        Biases = Parameters.ViewOf(Biases),
        Inputs = Ints(batch),
        Labels = Ints(batch),
        Sampled = Ints(sampled),
        SampledLogCount = Floats(sampled),
        Tries = Ints(1),
        InputRows = Floats(batch * dim),
        LabelRows = Floats(batch * dim),
        SampledRows = Floats(sampled * dim),
        LabelBiases = Floats(batch),
        SampledBiases = Floats(sampled),
        Logits = Floats(batch * sampled),
        LabelLogitGrads = Floats(batch),
        Losses = Floats(batch),
        InputGrads = Floats(batch * dim),
        SampledGrads = Floats(sampled * dim),
        InputLinks = Ints(2 * batch),
        OutputLinks = Ints(2 * (batch + sampled)),
        Batch = batch,
        NumSampled = sampled,
        Dim = dim,
    };

    private ArrayView<float> Floats(int n) => Own(new Tensor<float>(Device, new Shape(n))).View;

    private ArrayView<int> Ints(int n) => Own(new Tensor<int>(Device, new Shape(n))).View;

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _gemm.Dispose();
        Parameters.Dispose();
    }
}
