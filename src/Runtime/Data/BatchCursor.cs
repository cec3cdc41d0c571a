namespace GpuTrain.Runtime.Data;

/// <summary>
/// Where a <see cref="ShuffledBatcher"/> stands: everything needed to resume it exactly, saved with
/// a checkpoint. The order of an epoch is recomputed from (<paramref name="ShuffleSeed"/>, epoch).
/// </summary>
/// <param name="Epoch">The epoch the next batch comes from (0-based).</param>
/// <param name="Position">Index into that epoch's order of the next batch's first example.</param>
/// <param name="ShuffleSeed">The seed every epoch's permutation derives from.</param>
public readonly record struct BatchCursor(long Epoch, long Position, ulong ShuffleSeed);
