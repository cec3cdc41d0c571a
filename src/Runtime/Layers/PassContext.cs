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
}
