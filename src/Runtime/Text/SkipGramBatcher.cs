using GpuTrain.Kernels;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Text;

/// <summary>
/// The word2vec tutorial's generate_batch: a window of <c>span = 2 * skipWindow + 1</c> words slides
/// over the data (a deque of maxlen span); each position gives <c>numSkips</c> (centre, context) pairs
/// with distinct context words drawn from the window, then the window moves one word on, wrapping at
/// the end of the data to its start. After a batch, <c>data_index</c> backtracks by span so the next
/// batch starts where this one's window stood. The context draws come from <see cref="Philox"/>
/// keyed by the number of batches drawn, so the cursor is all the state there is: the checkpoint's
/// <c>data/index</c> and <c>data/batches</c>. The tutorial's generator wraps around the data without
/// epochs, so as a batch source it stays in epoch 0.
/// </summary>
public sealed class SkipGramBatcher : IBatchSource<WordPairBatch>
{
    private readonly HostVariable<long> _dataIndexVariable = new("data/index", DataType.DtInt64, []);
    private readonly HostVariable<long> _batchesVariable = new("data/batches", DataType.DtInt64, []);
    private readonly int[] _inputs, _labels;
    private const ulong ContextStream = 0x5_4B49_5047; // "SKIPG": keeps these draws apart from other streams.
    private readonly int[] _data;
    private readonly int[] _window;
    private readonly int[] _contexts;
    private readonly ulong _seed;
    private long _dataIndex;
    private long _batches;

    /// <summary>Batches of <paramref name="batchSize"/> pairs from <paramref name="data"/> (word ids).</summary>
    /// <exception cref="ArgumentException">The tutorial's asserts: batch size a multiple of num_skips, num_skips at most 2 * skip_window; or data shorter than a window.</exception>
    public SkipGramBatcher(int[] data, int batchSize, int numSkips, int skipWindow, ulong seed)
    {
        if (skipWindow < 1) throw new ArgumentException($"the skip window must be at least 1; got {skipWindow}", nameof(skipWindow));
        if (numSkips < 1 || numSkips > 2 * skipWindow)
            throw new ArgumentException($"context words per centre word must be in [1, 2 * skip window = {2 * skipWindow}]; got {numSkips}", nameof(numSkips));
        if (batchSize < 1 || batchSize % numSkips != 0)
            throw new ArgumentException($"the batch size must be a positive multiple of the context words per centre word ({numSkips}); got {batchSize}", nameof(batchSize));
        int span = 2 * skipWindow + 1;
        if (data.Length < span) throw new ArgumentException($"the data has {data.Length} words, fewer than one window of {span}", nameof(data));
        _data = data;
        BatchSize = batchSize;
        NumSkips = numSkips;
        SkipWindow = skipWindow;
        _seed = seed;
        _window = new int[span];
        _contexts = new int[span - 1];
        _inputs = new int[batchSize];
        _labels = new int[batchSize];
    }

    /// <inheritdoc />
    public long Epoch => 0;

    /// <inheritdoc />
    public WordPairBatch Next()
    {
        NextBatch(_inputs, _labels);
        return new WordPairBatch(_inputs, _labels);
    }

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => [_dataIndexVariable, _batchesVariable];

    /// <inheritdoc />
    public void CaptureHostState() => (_dataIndexVariable.Value, _batchesVariable.Value) = (_dataIndex, _batches);

    /// <inheritdoc />
    public void RestoreHostState() => Restore(new SkipGramCursor(_dataIndexVariable.Value, _batchesVariable.Value));

    /// <summary>Pairs per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Context words drawn per centre word.</summary>
    public int NumSkips { get; }

    /// <summary>Words considered left and right of the centre.</summary>
    public int SkipWindow { get; }

    /// <summary>The position to save with a checkpoint.</summary>
    public SkipGramCursor Cursor => new(_dataIndex, _batches);

    /// <summary>Continues from a saved <paramref name="cursor"/>.</summary>
    /// <exception cref="ArgumentException">The cursor lies outside the data.</exception>
    public void Restore(SkipGramCursor cursor)
    {
        if (cursor.DataIndex < 0 || cursor.DataIndex >= _data.Length || cursor.Batches < 0)
            throw new ArgumentException($"skip-gram cursor (data index {cursor.DataIndex}, batch {cursor.Batches}) does not fit data of {_data.Length} words", nameof(cursor));
        _dataIndex = cursor.DataIndex;
        _batches = cursor.Batches;
    }

    /// <summary>Writes the next batch: <paramref name="inputs"/> the centre words, <paramref name="labels"/> their context words.</summary>
    /// <exception cref="ArgumentException">A span is not <see cref="BatchSize"/> long.</exception>
    public void NextBatch(Span<int> inputs, Span<int> labels)
    {
        if (inputs.Length != BatchSize || labels.Length != BatchSize)
            throw new ArgumentException($"a batch holds {BatchSize} pairs; got spans of {inputs.Length} and {labels.Length}", nameof(inputs));
        int span = _window.Length, n = _data.Length;
        long dataIndex = _dataIndex;
        if (dataIndex + span > n) dataIndex = 0;
        // The deque as a ring: _window[(head + j) % span] is its j-th element.
        _data.AsSpan((int)dataIndex, span).CopyTo(_window);
        int head = 0;
        dataIndex += span;
        ulong draw = (ulong)_batches * (ulong)(BatchSize / NumSkips * NumSkips);
        for (int i = 0; i < BatchSize / NumSkips; i++)
        {
            DrawContexts(ref draw);
            for (int j = 0; j < NumSkips; j++)
            {
                inputs[i * NumSkips + j] = _window[(head + SkipWindow) % span];
                labels[i * NumSkips + j] = _window[(head + _contexts[j]) % span];
            }
            if (dataIndex == n)
            {
                // buffer.extend(data[0:span]) on a full deque replaces its contents.
                _data.AsSpan(0, span).CopyTo(_window);
                head = 0;
                dataIndex = span;
            }
            else
            {
                _window[head] = _data[dataIndex++];
                head = (head + 1) % span;
            }
        }
        _dataIndex = (dataIndex + n - span) % n;
        _batches++;
    }

    // random.sample(context_words, num_skips): a partial Fisher-Yates shuffle of the window
    // positions other than the centre; the first NumSkips entries are the draw.
    private void DrawContexts(ref ulong draw)
    {
        for (int w = 0, k = 0; w < _window.Length; w++)
            if (w != SkipWindow) _contexts[k++] = w;
        for (int j = 0; j < NumSkips; j++)
        {
            int remaining = _contexts.Length - j;
            int pick = j + Math.Min(remaining - 1, (int)(Philox.Uniform(_seed, ContextStream, draw++) * remaining));
            (_contexts[j], _contexts[pick]) = (_contexts[pick], _contexts[j]);
        }
    }
}
