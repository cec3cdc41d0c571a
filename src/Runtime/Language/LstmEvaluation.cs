using GpuTrain.Runtime.Data;

namespace GpuTrain.Runtime.Language;

/// <summary>The tutorial's run_epoch without training: perplexity = exp(total cost / total steps) over one pass, state zeroed first.</summary>
public static class LstmEvaluation
{
    /// <summary>The perplexity of <paramref name="graph"/>'s model on every batch of <paramref name="batches"/> (shapes must agree).</summary>
    /// <exception cref="ArgumentException">The graph and the batches have different shapes.</exception>
    public static double Perplexity(LstmUnroll graph, PtbBatches batches)
    {
        if (graph.Batch != batches.Batch || graph.Steps != batches.Steps)
            throw new ArgumentException($"graph {graph.Batch} x {graph.Steps} cannot run batches of {batches.Batch} x {batches.Steps}");
        var inputs = new int[batches.Batch * batches.Steps];
        var targets = new int[inputs.Length];
        double costs = 0;
        graph.ResetState();
        for (int i = 0; i < batches.EpochSize; i++)
        {
            batches.Fill(i, inputs, targets);
            costs += graph.Forward(inputs, targets, training: false);
        }
        return Math.Exp(costs / ((long)batches.EpochSize * batches.Steps));
    }

    /// <summary>Perplexity on <paramref name="words"/> in the model's training shape (the tutorial's valid pass).</summary>
    public static double ValidPerplexity(LstmLanguageModel model, int[] words)
    {
        var config = model.Config;
        using var graph = new LstmUnroll(model, config.BatchSize, config.NumSteps, trainable: false);
        return Perplexity(graph, new PtbBatches(words, config.BatchSize, config.NumSteps, "valid"));
    }

    /// <summary>Perplexity on <paramref name="words"/> as the tutorial's eval_config: batch 1, one step per batch.</summary>
    public static double TestPerplexity(LstmLanguageModel model, int[] words)
    {
        using var graph = new LstmUnroll(model, batch: 1, steps: 1, trainable: false);
        return Perplexity(graph, new PtbBatches(words, 1, 1, "test"));
    }
}
