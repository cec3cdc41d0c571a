using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Distributed;

/// <summary>The rank shares (<see cref="RankShare{TBatch}"/>) of GpuTrain's batch types.</summary>
public static class RankShare
{
    /// <summary>Rank <paramref name="world"/>.Rank's share of a classifier's batches: its rows of images and labels.</summary>
    /// <exception cref="ArgumentException">The global batch does not split evenly over the ranks.</exception>
    public static RankShare<LabeledBatch> Of(IBatchSource<LabeledBatch> global, Communicator world) =>
        new(global, world, (batch, first, count) =>
        {
            int imageSize = batch.Images.Length / batch.Labels.Length;
            return new LabeledBatch(batch.Images.Slice(first * imageSize, count * imageSize), batch.Labels.Slice(first, count));
        });

    /// <summary>Rank <paramref name="world"/>.Rank's share of word2vec's (centre, context) pairs.</summary>
    /// <exception cref="ArgumentException">The global batch does not split evenly over the ranks.</exception>
    public static RankShare<WordPairBatch> Of(IBatchSource<WordPairBatch> global, Communicator world) =>
        new(global, world, (batch, first, count) => new WordPairBatch(batch.Inputs.Slice(first, count), batch.Labels.Slice(first, count)));

    /// <summary>
    /// Rank <paramref name="world"/>.Rank's share of a language model's batches: its streams (rows of the
    /// batch-major [streams, steps] ids), with the global batch's epoch start.
    /// </summary>
    /// <exception cref="ArgumentException">The global batch does not split evenly over the ranks.</exception>
    public static RankShare<SequenceBatch> Of(IBatchSource<SequenceBatch> global, Communicator world) =>
        new(global, world, (batch, first, count) =>
        {
            int steps = batch.Inputs.Length / global.BatchSize;
            return batch with { Inputs = batch.Inputs.Slice(first * steps, count * steps), Targets = batch.Targets.Slice(first * steps, count * steps) };
        });
}
