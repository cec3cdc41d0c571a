using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Data;

/// <summary>
/// The training batches of <see cref="PtbBatches"/> epoch after epoch, in order, with a cursor (the
/// next batch's epoch and position within it) that is the checkpoint's <c>data/epoch</c> and
/// <c>data/position</c>. Batch buffers are allocated once.
/// </summary>
public sealed class PtbBatchStream : IBatchSource<SequenceBatch>
{
    private readonly int[] _inputs, _targets;
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);

    /// <summary>Streams <paramref name="batches"/> from epoch 0, position 0.</summary>
    public PtbBatchStream(PtbBatches batches)
    {
        Batches = batches;
        _inputs = new int[batches.Batch * batches.Steps];
        _targets = new int[_inputs.Length];
    }

    /// <summary>The batches of one epoch.</summary>
    public PtbBatches Batches { get; }

    /// <inheritdoc />
    public int BatchSize => Batches.Batch;

    /// <inheritdoc />
    public long Epoch { get; private set; }

    /// <summary>The next batch's index within its epoch.</summary>
    public long Position { get; private set; }

    /// <inheritdoc />
    public SequenceBatch Next()
    {
        Batches.Fill((int)Position, _inputs, _targets);
        var batch = new SequenceBatch(_inputs, _targets, StartsEpoch: Position == 0);
        if (++Position == Batches.EpochSize) (Epoch, Position) = (Epoch + 1, 0);
        return batch;
    }

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => [_epoch, _position];

    /// <inheritdoc />
    public void CaptureHostState() => (_epoch.Value, _position.Value) = (Epoch, Position);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The restored cursor is outside this corpus's epochs.</exception>
    public void RestoreHostState()
    {
        if (_epoch.Value < 0 || _position.Value < 0 || _position.Value >= Batches.EpochSize)
            throw new ArgumentException(
                $"data cursor (epoch {_epoch.Value}, position {_position.Value}) is outside an epoch of {Batches.EpochSize} batches");
        (Epoch, Position) = (_epoch.Value, _position.Value);
    }
}
