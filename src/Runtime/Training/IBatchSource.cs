namespace GpuTrain.Runtime.Training;

/// <summary>
/// A deterministic source of training batches with a cursor: the cursor is its host state in the
/// checkpoint, so a restored source yields exactly the batches the uninterrupted one would have.
/// </summary>
/// <typeparam name="TBatch">The batch type its model consumes.</typeparam>
public interface IBatchSource<out TBatch> : IHostState
{
    /// <summary>Examples per batch (for throughput figures).</summary>
    int BatchSize { get; }

    /// <summary>The epoch the next batch belongs to.</summary>
    long Epoch { get; }

    /// <summary>The next batch; its buffers are reused, valid until the next call. Advances the cursor.</summary>
    TBatch Next();
}
