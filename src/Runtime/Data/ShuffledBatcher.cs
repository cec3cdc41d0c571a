using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Data;

/// <summary>
/// Deterministic mini-batches over an <see cref="ImageDataset"/>: every epoch visits the examples in
/// a fresh permutation derived from (shuffle seed, epoch), and each batch is copied into arrays the
/// caller owns, so the training loop allocates nothing. An epoch yields Count / BatchSize full
/// batches; the few examples left over fall into other batches in later epochs' orders.
/// Its <see cref="Cursor"/> can be saved and restored: a restored batcher yields exactly the batches
/// the uninterrupted one would have; as a batch source its cursor is the checkpoint's <c>data/epoch</c>,
/// <c>data/position</c> and <c>data/shuffle_seed</c>.
/// </summary>
public sealed class ShuffledBatcher : IBatchSource<LabeledBatch>
{
    private readonly ImageDataset _data;
    private readonly int[] _order;
    private readonly float[] _images;
    private readonly int[] _labels;
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);
    private readonly HostVariable<long> _shuffleSeed = new("data/shuffle_seed", DataType.DtInt64, []);
    private BatchCursor? _orderOf; // the epoch and seed _order was computed for

    /// <summary>Starts at epoch 0, position 0.</summary>
    /// <exception cref="ArgumentException">The batch size is not in 1..Count.</exception>
    public ShuffledBatcher(ImageDataset data, int batchSize, ulong shuffleSeed)
    {
        if (batchSize < 1 || batchSize > data.Count)
            throw new ArgumentException(
                $"batch size {batchSize} must be between 1 and the {data.Count} examples of '{data.Name}'", nameof(batchSize));
        _data = data;
        _order = new int[data.Count];
        _images = new float[batchSize * data.ImageSize];
        _labels = new int[batchSize];
        BatchSize = batchSize;
        Cursor = new BatchCursor(0, 0, shuffleSeed);
    }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Full batches in one epoch.</summary>
    public int BatchesPerEpoch => _data.Count / BatchSize;

    /// <summary>Where the next batch comes from.</summary>
    public BatchCursor Cursor { get; private set; }

    /// <inheritdoc />
    public long Epoch => Cursor.Epoch;

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => [_epoch, _position, _shuffleSeed];

    /// <inheritdoc />
    public void CaptureHostState()
    {
        _epoch.Value = Cursor.Epoch;
        _position.Value = Cursor.Position;
        _shuffleSeed.Value = unchecked((long)Cursor.ShuffleSeed);
    }

    /// <inheritdoc />
    public void RestoreHostState() =>
        Restore(new BatchCursor(_epoch.Value, _position.Value, unchecked((ulong)_shuffleSeed.Value)));

    /// <summary>The next batch in arrays the batcher owns (overwritten by the next call).</summary>
    public LabeledBatch Next()
    {
        NextBatch(_images, _labels);
        return new LabeledBatch(_images, _labels);
    }

    /// <summary>Continues from a saved cursor.</summary>
    /// <exception cref="ArgumentException">The cursor does not point at a batch boundary of this data set.</exception>
    public void Restore(BatchCursor cursor)
    {
        if (cursor.Epoch < 0 || cursor.Position < 0 || cursor.Position % BatchSize != 0 ||
            cursor.Position + BatchSize > _data.Count)
            throw new ArgumentException(
                $"cursor {cursor} is not a batch start of '{_data.Name}' ({_data.Count} examples, batch {BatchSize})",
                nameof(cursor));
        Cursor = cursor;
    }

    /// <summary>
    /// Moves the cursor to where it stands after <paramref name="batchesDone"/> batches from the
    /// start with the current shuffle seed: resuming from a step count when no cursor was saved.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative.</exception>
    public void Seek(long batchesDone)
    {
        if (batchesDone < 0)
            throw new ArgumentException($"batch count {batchesDone} must not be negative", nameof(batchesDone));
        Cursor = Cursor with
        {
            Epoch = batchesDone / BatchesPerEpoch,
            Position = batchesDone % BatchesPerEpoch * BatchSize,
        };
    }

    /// <summary>
    /// Copies the next batch into <paramref name="images"/> (BatchSize x image size floats) and
    /// <paramref name="labels"/> (BatchSize ints), then advances the cursor.
    /// </summary>
    /// <exception cref="ArgumentException">A destination has the wrong length.</exception>
    public void NextBatch(Span<float> images, Span<int> labels)
    {
        int imageSize = _data.ImageSize;
        if (images.Length != BatchSize * imageSize || labels.Length != BatchSize)
            throw new ArgumentException(
                $"batch buffers must hold {BatchSize * imageSize} floats and {BatchSize} labels; got {images.Length} and {labels.Length}", nameof(images));
        var cursor = Cursor;
        if (_orderOf is not { } of || of.Epoch != cursor.Epoch || of.ShuffleSeed != cursor.ShuffleSeed)
        {
            Permutation.Fill(_order, cursor.ShuffleSeed, (ulong)cursor.Epoch);
            _orderOf = cursor;
        }
        for (int b = 0; b < BatchSize; b++)
        {
            int example = _order[cursor.Position + b];
            _data.Image(example).CopyTo(images.Slice(b * imageSize, imageSize));
            labels[b] = _data.Labels[example];
        }
        long next = cursor.Position + BatchSize;
        Cursor = next + BatchSize > _data.Count
            ? cursor with { Epoch = cursor.Epoch + 1, Position = 0 }
            : cursor with { Position = next };
    }
}
