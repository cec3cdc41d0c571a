using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// A lookup table of one row per id (<c>tf.nn.embedding_lookup</c>): Y[p, :] = table[ids[p], :]. It is
/// the first stage of a model over ids rather than a <see cref="Layer"/> over floats: its input is the
/// host's ids, which it uploads. The gradient is row-sparse by nature: Backward adds each row's summed
/// output gradient into the table's rows the batch used (deterministically, no atomics), and nothing
/// else. The table is <c>&lt;name&gt;/embeddings</c> [vocabulary, width] unless <c>tableName</c> names it.
/// </summary>
public sealed class Embedding : IDisposable
{
    private readonly string? _tableName;
    private ModelContext? _model;
    private ArenaSlice _table = null!;
    private Tensor<int>? _ids;
    private EmbeddingOccurrences? _occurrences;
    private bool _occurrencesCurrent;

    /// <summary>A table of <paramref name="vocabularySize"/> rows of <paramref name="width"/> floats.</summary>
    /// <param name="vocabularySize">Ids are in [0, vocabularySize).</param>
    /// <param name="width">Floats per row (the output's per-position width).</param>
    /// <param name="initializer">Initial values (default uniform in [-0.05, 0.05), Keras' default).</param>
    /// <param name="name">The layer's name (default <c>embedding</c>).</param>
    /// <param name="tableName">The table's full checkpoint name, when it is not <c>&lt;name&gt;/embeddings</c> (<c>Model/embedding</c>).</param>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public Embedding(int vocabularySize, int width, Initializer? initializer = null, string? name = null, string? tableName = null)
    {
        if (vocabularySize < 1) throw new ArgumentException($"an embedding needs at least one row; got {vocabularySize}", nameof(vocabularySize));
        if (width < 1) throw new ArgumentException($"an embedding row needs at least one float; got {width}", nameof(width));
        VocabularySize = vocabularySize;
        Width = width;
        Initializer = initializer ?? new RandomUniform(-0.05f, 0.05f);
        Name = name ?? "embedding";
        _tableName = tableName;
    }

    /// <summary>Rows in the table.</summary>
    public int VocabularySize { get; }

    /// <summary>Floats per row.</summary>
    public int Width { get; }

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>The table's initial values.</summary>
    public Initializer Initializer { get; }

    /// <summary>The table's checkpoint name.</summary>
    public string TableName => _tableName ?? Name + "/embeddings";

    /// <summary>The one trainable tensor, the table [vocabulary, width].</summary>
    public IReadOnlyList<ParameterSpec> Parameters => [new(TableName, new Shape(VocabularySize, Width), Initializer)];

    /// <summary>Binds the table in <paramref name="model"/>'s arenas and plans for batches of <paramref name="positions"/> ids.</summary>
    /// <exception cref="ArgumentException">No positions.</exception>
    public void Plan(ModelContext model, int positions)
    {
        if (positions < 1) throw new ArgumentException($"{Name}: a batch needs at least one id; got {positions}", nameof(positions));
        DisposeBuffers();
        _model = model;
        _table = model.Parameters[TableName];
        _ids = new Tensor<int>(model.Device, new Shape(positions));
    }

    /// <summary>
    /// Looks up <paramref name="ids"/> (one per planned position) into <paramref name="y"/> [positions, width].
    /// In training it also groups the ids for <see cref="Backward"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Another count of ids than planned, or an id outside the table.</exception>
    public void Forward(PassContext pass, ReadOnlySpan<int> ids, ArrayView<float> y)
    {
        var m = _model ?? throw new InvalidOperationException($"{Name} has not been planned");
        if (ids.Length != _ids!.Size)
            throw new ArgumentException($"{Name}: planned for {_ids.Size} ids; got {ids.Length}", nameof(ids));
        foreach (int id in ids)
            if ((uint)id >= (uint)VocabularySize)
                throw new ArgumentException($"{Name}: id {id} is outside the table of {VocabularySize} rows", nameof(ids));
        _ids.Upload(ids);
        _occurrencesCurrent = pass.Training;
        if (pass.Training)
        {
            _occurrences ??= new EmbeddingOccurrences(m.Device, ids.Length);
            _occurrences.Upload(ids);
        }
        EmbeddingOps.Gather(m.Device, _ids.View, m.Parameters.ViewOf(_table), Width, y);
    }

    /// <summary>Adds <paramref name="dy"/> [positions, width] of the last training Forward into the table's gradient rows.</summary>
    /// <exception cref="InvalidOperationException">The last Forward was not a training pass.</exception>
    public void Backward(ArrayView<float> dy)
    {
        var m = _model ?? throw new InvalidOperationException($"{Name} has not been planned");
        if (!_occurrencesCurrent) throw new InvalidOperationException($"{Name}: Backward needs a training Forward first");
        EmbeddingOps.Backward(m.Device, _occurrences!, dy, Width, m.Gradients.ViewOf(_table));
    }

    private void DisposeBuffers()
    {
        _ids?.Dispose();
        _occurrences?.Dispose();
        _ids = null;
        _occurrences = null;
        _occurrencesCurrent = false;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeBuffers();
}
