namespace GpuTrain.Runtime.Text;

/// <summary>
/// Where a <see cref="SkipGramBatcher"/> stands, saved with a checkpoint so a resumed run draws the
/// batches the uninterrupted run would have drawn.
/// </summary>
/// <param name="DataIndex">The tutorial's <c>data_index</c>: where the next batch's window starts.</param>
/// <param name="Batches">Batches drawn so far: the counter of the context-word draws.</param>
public readonly record struct SkipGramCursor(long DataIndex, long Batches);
