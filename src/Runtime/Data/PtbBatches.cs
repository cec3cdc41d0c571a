namespace GpuTrain.Runtime.Data;

/// <summary>
/// The tutorial's <c>ptb_producer</c>: the id stream is cut into <c>batch</c> contiguous rows of
/// <c>len / batch</c> ids (the remainder dropped), and batch i takes columns
/// <c>[i·steps, (i+1)·steps)</c> of every row as inputs and the same columns shifted by one as
/// targets, so each row continues where it left off in the previous batch (which is what carrying
/// the LSTM state relies on). An epoch holds <c>(len / batch - 1) / steps</c> batches.
/// </summary>
public sealed class PtbBatches
{
    private readonly int[] _ids;
    private readonly int _rowLength;

    /// <summary>Batches of <paramref name="batch"/> x <paramref name="steps"/> over <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">The stream is too short for even one batch (the tutorial's "decrease batch_size or num_steps").</exception>
    public PtbBatches(int[] ids, int batch, int steps, string name = "data")
    {
        if (batch < 1 || steps < 1) throw new ArgumentException($"batch size and num_steps must be positive; got {batch} and {steps}", batch < 1 ? nameof(batch) : nameof(steps));
        _ids = ids;
        Batch = batch;
        Steps = steps;
        _rowLength = ids.Length / batch;
        EpochSize = (_rowLength - 1) / steps;
        if (EpochSize < 1)
            throw new ArgumentException(
                $"{name} has {ids.Length} words, too few for one batch of {batch} x {steps}: decrease batch_size or num_steps", nameof(ids));
    }

    /// <summary>Rows per batch.</summary>
    public int Batch { get; }

    /// <summary>Ids per row per batch.</summary>
    public int Steps { get; }

    /// <summary>Batches per epoch.</summary>
    public int EpochSize { get; }

    /// <summary>Writes batch <paramref name="index"/>'s inputs and targets, [batch, steps] row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the epoch.</exception>
    public void Fill(int index, Span<int> inputs, Span<int> targets)
    {
        if ((uint)index >= (uint)EpochSize) throw new ArgumentOutOfRangeException(nameof(index), index, $"an epoch holds {EpochSize} batches");
        if (inputs.Length != Batch * Steps || targets.Length != Batch * Steps)
            throw new ArgumentException($"a batch needs spans of {Batch * Steps} ids; got {inputs.Length} and {targets.Length}", nameof(inputs));
        for (int b = 0; b < Batch; b++)
        {
            var row = _ids.AsSpan(b * _rowLength + index * Steps, Steps + 1);
            row[..Steps].CopyTo(inputs.Slice(b * Steps, Steps));
            row[1..].CopyTo(targets.Slice(b * Steps, Steps));
        }
    }
}
