namespace GpuTrain.Runtime.Layers;

/// <summary>What a forward or backward pass needs to know besides its buffers.</summary>
/// <param name="Training">True in training (dropout active), false in evaluation.</param>
/// <param name="Seed">The run's seed, for counter-based randomness.</param>
/// <param name="Step">The training step, the counter stream of this step's random draws.</param>
public readonly record struct PassContext(bool Training, ulong Seed, long Step);
