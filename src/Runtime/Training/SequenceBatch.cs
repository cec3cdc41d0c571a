namespace GpuTrain.Runtime.Training;

/// <summary>
/// A language model's batch: [batch, steps] input ids and the targets (the inputs shifted by one),
/// row-major as ptb_producer yields them, and whether it opens an epoch (where a model that carries
/// state from batch to batch starts again from zero).
/// </summary>
/// <param name="Inputs">Batch x steps word ids.</param>
/// <param name="Targets">The next word of each input.</param>
/// <param name="StartsEpoch">The first batch of an epoch.</param>
public readonly record struct SequenceBatch(ReadOnlyMemory<int> Inputs, ReadOnlyMemory<int> Targets, bool StartsEpoch);
