using GpuTrain.Runtime.Data;

namespace GpuTrain.Examples.Ptb;

/// <summary>The tutorial's run_epoch without training: perplexity = exp(total cost / total steps) over one pass, state zeroed first.</summary>
public static class LstmEvaluation
{
    /// <summary>The perplexity of <paramref name="graph"/>'s model on every batch of <paramref name="batches"/> (shapes must agree).</summary>
    /// <param name="graph">The unrolled model, state zeroed first.</param>
    /// <param name="batches">The words, in the graph's batch shape.</param>
    /// <param name="progress">Receives (batches done, batches), if given.</param>
    /// <exception cref="ArgumentException">The graph and the batches have different shapes.</exception>
    public static double Perplexity(LstmUnroll graph, PtbBatches batches, IProgress<(long Done, long Total)>? progress = null)
    {
        if (graph.Batch != batches.Batch || graph.Steps != batches.Steps)
            throw new ArgumentException($"graph {graph.Batch} x {graph.Steps} cannot run batches of {batches.Batch} x {batches.Steps}", nameof(batches));
        var inputs = new int[batches.Batch * batches.Steps];
        var targets = new int[inputs.Length];
        double costs = 0;
        graph.ResetState();
        for (int i = 0; i < batches.EpochSize; i++)
        {
            batches.Fill(i, inputs, targets);
            costs += graph.Forward(inputs, targets, training: false);
            progress?.Report((i + 1, batches.EpochSize));
        }
        return Math.Exp(costs / ((long)batches.EpochSize * batches.Steps));
    }

    /// <summary>Perplexity on <paramref name="words"/> in the model's training shape (the tutorial's valid pass); <paramref name="progress"/> as in <see cref="Perplexity"/>.</summary>
    public static double ValidPerplexity(LstmLanguageModel model, int[] words, IProgress<(long Done, long Total)>? progress = null)
    {
        var config = model.Config;
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
        return Perplexity(graph, new PtbBatches(words, config.BatchSize, config.NumSteps, "valid"), progress);
    }

    /// <summary>Perplexity on <paramref name="words"/> as the tutorial's eval_config: batch 1, one step per batch (one batch per word but the last); <paramref name="progress"/> as in <see cref="Perplexity"/>.</summary>
    public static double TestPerplexity(LstmLanguageModel model, int[] words, IProgress<(long Done, long Total)>? progress = null)
    {
        using var graph = new LstmUnroll(model, batch: 1, steps: 1, trainable: false);
        return Perplexity(graph, new PtbBatches(words, 1, 1, "test"), progress);
    }
}
