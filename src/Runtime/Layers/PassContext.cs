namespace GpuTrain.Runtime.Layers;

/// <summary>What a forward or backward pass needs to know besides its buffers.</summary>
/// <param name="Training">True in training (dropout active), false in evaluation.</param>
/// <param name="Seed">The run's seed, for counter-based randomness.</param>
/// <param name="Step">The training step, the counter stream of this step's random draws.</param>
public readonly record struct PassContext(bool Training, ulong Seed, long Step)
{
    /// <summary>
    /// The index in the step's global batch of this pass's first example: 0 in one process, r x b in
    /// data-parallel rank r whose share is b examples. Random draws per example (dropout masks) are
    /// keyed by the global index, so N ranks draw what one process draws.
    /// </summary>
    public long FirstExample { get; init; }

    /// <summary>
    /// The examples (streams, for a time-major sequence batch) of the step's global batch: 0 when this
    /// pass's batch is the whole of it (one process). A data-parallel rank's share of a sequence batch
    /// is a block of streams within every time step, so a draw per (step, stream) needs the global
    /// stream count to find its index.
    /// </summary>
    public int GlobalBatch { get; init; }
}
