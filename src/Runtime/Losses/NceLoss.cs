using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Losses;

/// <summary>
/// The sampled noise-contrastive estimation loss (<c>tf.nn.nce_loss</c>, mean over the batch) of
/// inputs given as rows of an embedding table against one label id each, with candidates drawn
/// log-uniformly per step and shared by the batch. It declares the output tables, <c>nce_weights</c>
/// [classes, width] (truncated normal, stddev 1/sqrt(width)) and <c>nce_biases</c> [classes] (zeros).
/// <para>
/// Its gradients are row-sparse (<see cref="RowSparseGradients"/>): the embedding rows of the
/// inputs and the weight rows and biases of the labels and candidates, which a row-sparse optimizer
/// (<see cref="Optimizers.RowSparseSgd"/>) applies, so no step touches a whole table. That is why the
/// loss takes the input table and ids rather than dense input rows: it gathers the rows itself, into
/// work buffers planned once (see <see cref="NceKernels"/>). Candidates are a pure function of the
/// pass's (seed, step), so a resumed run draws what the uninterrupted one would have.
/// </para>
/// </summary>
public sealed class NceLoss : IDisposable
{
    private const ulong SamplerStream = 0x4E43_45UL << 40; // "NCE" in the high bits, the step below.
    private readonly List<IDisposable> _owned = [];
    private Device? _device;
    private IGemmEngine? _gemm;
    private NceViews _views;
    private float[] _losses = [];

    /// <summary>A loss over <paramref name="classes"/> output classes for inputs of <paramref name="width"/> floats.</summary>
    /// <param name="classes">The output vocabulary (TF's num_classes).</param>
    /// <param name="width">The input rows' width (the embedding size).</param>
    /// <param name="options">Sampling and loss variant (default the tutorial's: 64 unique candidates, NCE).</param>
    /// <param name="weightsName">The weight table's checkpoint name.</param>
    /// <param name="biasesName">The bias vector's checkpoint name.</param>
    /// <exception cref="ArgumentException">A size is not positive, or unique sampling asks for more candidates than classes.</exception>
    public NceLoss(int classes, int width, NceOptions? options = null, string weightsName = "nce_weights", string biasesName = "nce_biases")
    {
        Options = options ?? new NceOptions();
        if (classes < 2) throw new ArgumentException($"the NCE loss needs at least 2 classes; got {classes}", nameof(classes));
        if (width < 1) throw new ArgumentException($"the NCE loss needs inputs of at least one float; got {width}", nameof(width));
        if (Options.NumSampled < 1 || (Options.Unique && Options.NumSampled > classes))
            throw new ArgumentException(
                $"candidates per step must be in [1, {classes} classes]; got {Options.NumSampled}", "options.NumSampled");
        Classes = classes;
        Width = width;
        WeightsName = weightsName;
        BiasesName = biasesName;
    }

    /// <summary>Sampling and loss variant.</summary>
    public NceOptions Options { get; }

    /// <summary>Output classes.</summary>
    public int Classes { get; }

    /// <summary>Floats per input row.</summary>
    public int Width { get; }

    /// <summary>Examples per step (0 before <see cref="Plan"/>).</summary>
    public int BatchSize { get; private set; }

    /// <summary>The weight table's checkpoint name.</summary>
    public string WeightsName { get; }

    /// <summary>The bias vector's checkpoint name.</summary>
    public string BiasesName { get; }

    /// <summary>The output tables this loss trains.</summary>
    public IReadOnlyList<ParameterSpec> Parameters =>
    [
        new(WeightsName, new Shape(Classes, Width), new TruncatedNormal(1f / MathF.Sqrt(Width))),
        new(BiasesName, new Shape(Classes), new Zeros()),
    ];

    /// <summary>The gradients of the last <see cref="Backward"/>, for a row-sparse optimizer.</summary>
    public RowSparseGradients RowSparseGradients { get; private set; } = null!;

    /// <summary>When set, each phase of a step is timed into it (and synchronized: profile, then detach).</summary>
    public StepProfile? Profile
    {
        get => RowSparseGradients?.Profile;
        set => (RowSparseGradients ?? throw new InvalidOperationException("the NCE loss has not been planned")).Profile = value;
    }

    /// <summary>
    /// Binds the loss to <paramref name="parameters"/> (which hold the input table
    /// <paramref name="inputTable"/> [any rows, width] and this loss's <see cref="Parameters"/>) and
    /// plans the work buffers for batches of <paramref name="batchSize"/> examples.
    /// </summary>
    /// <exception cref="ArgumentException">No examples, or a table is missing or has another shape.</exception>
    public void Plan(Device device, ParameterArena parameters, IGemmEngine gemm, string inputTable, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be positive; got {batchSize}", nameof(batchSize));
        var table = parameters[inputTable];
        if (table.Shape.Rank != 2 || table.Shape[1] != Width)
            throw new ArgumentException($"input table {inputTable} is {table.Shape}, not [rows, {Width}]", nameof(inputTable));
        foreach (var spec in Parameters)
            if (!parameters[spec.Name].Shape.Equals(spec.Shape))
                throw new ArgumentException($"{spec.Name} is {parameters[spec.Name].Shape}, not {spec.Shape}", nameof(parameters));
        Release();
        _device = device;
        _gemm = gemm;
        BatchSize = batchSize;
        int sampled = Options.NumSampled, dim = Width;
        _losses = new float[batchSize];
        _views = NceBatchBuffers.For(new NceViews
        {
            Embeddings = parameters.ViewOf(table),
            Weights = parameters.ViewOf(parameters[WeightsName]),
            Biases = parameters.ViewOf(parameters[BiasesName]),
            SampledLogCount = Floats(sampled),
            Tries = Ints(1),
            Losses = Floats(batchSize),
        }, batchSize, sampled, dim, Floats, Ints);
        RowSparseGradients = new RowSparseGradients(device, _views) { Profile = RowSparseGradients?.Profile };
    }

    /// <summary>
    /// The mean loss of the examples (input id, label id) with the candidates of (<paramref name="pass"/>.Seed,
    /// <paramref name="pass"/>.Step); keeps what <see cref="Backward"/> needs.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are not <see cref="BatchSize"/> long or hold an id outside the tables.</exception>
    public float Forward(PassContext pass, ReadOnlySpan<int> inputs, ReadOnlySpan<int> labels)
    {
        var device = _device ?? throw new InvalidOperationException("the NCE loss has not been planned");
        Check(inputs, _views.Embeddings.Length / Width, nameof(inputs));
        Check(labels, Classes, nameof(labels));
        var v = _views;
        long start = Mark();
        v.Inputs.CopyFromCPU(inputs);
        v.Labels.CopyFromCPU(labels);
        start = Phase("upload", start);
        NceOps.Sample(device, v, Classes, Options.Unique, pass.Seed, SamplerStream | (ulong)pass.Step);
        start = Phase("sample", start);
        NceOps.Gather(device, v);
        start = Phase("gather", start);
        _gemm!.Gemm(false, true, BatchSize, Options.NumSampled, Width, 1f, v.InputRows, Width, v.SampledRows, Width, 0f, v.Logits, Options.NumSampled);
        start = Phase("logits gemm", start);
        NceOps.Loss(device, v, Classes, Options.Unique, Options.SubtractLogExpectedCount, Options.RemoveAccidentalHits);
        start = Phase("loss", start);
        v.Losses.CopyToCPU(_losses);
        Phase("download loss", start);
        float sum = 0f;
        foreach (float l in _losses) sum += l;
        return sum / BatchSize;
    }

    /// <summary>The row gradients of the last <see cref="Forward"/> into <see cref="RowSparseGradients"/>.</summary>
    public void Backward()
    {
        var v = _views;
        long start = Mark();
        _gemm!.Gemm(false, false, BatchSize, Width, Options.NumSampled, 1f, v.Logits, Options.NumSampled, v.SampledRows, Width, 0f, v.InputGrads, Width);
        _gemm.Gemm(true, false, Options.NumSampled, Width, BatchSize, 1f, v.Logits, Options.NumSampled, v.InputRows, Width, 0f, v.SampledGrads, Width);
        Phase("gradient gemms", start);
    }

    /// <summary>The candidates the last Forward drew and the number of draws it took.</summary>
    public (int[] Sampled, int Tries) LastCandidates()
    {
        var sampled = new int[Options.NumSampled];
        var tries = new int[1];
        _views.Sampled.CopyToCPU(sampled);
        _views.Tries.CopyToCPU(tries);
        return (sampled, tries[0]);
    }

    private long Mark() => Profile?.Start(_device!) ?? 0;

    private long Phase(string phase, long start)
    {
        if (Profile is not { } profile) return 0;
        profile.Stop(_device!, phase, start);
        return profile.Start(_device!);
    }

    private void Check(ReadOnlySpan<int> ids, long rows, string name)
    {
        if (ids.Length != BatchSize) throw new ArgumentException($"{name}: a batch holds {BatchSize} ids; got {ids.Length}", name);
        foreach (int id in ids)
            if ((uint)id >= (ulong)rows)
                throw new ArgumentException($"{name}: word id {id} is outside the vocabulary of {rows}", name);
    }

    private ArrayView<float> Floats(int n) => Own(new Tensor<float>(_device!, new Shape(n))).View;

    private ArrayView<int> Ints(int n) => Own(new Tensor<int>(_device!, new Shape(n))).View;

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void Release()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => Release();
}
