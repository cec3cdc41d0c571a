using GpuTrain.Examples.Ptb;
using GpuTrain.Runtime.Models;

namespace GpuTrain.Perf;

/// <summary>
/// The FLOP of one training step, counted from a model's shapes for the roofline line of perf/run.sh:
/// two per multiply-add of the GEMM-shaped work (dense, convolution, LSTM gates, softmax or NCE
/// logits), forward once and backward twice (the input and the weight gradients), which is what
/// bounds a step; element-wise work (activations, pooling, the update) is left out, as the usual
/// "model FLOPs" count does.
/// </summary>
public static class StepFlops
{
    /// <summary>Forward + backward of <paramref name="model"/> at <paramref name="batch"/> examples: each layer with a kernel of shape [..., out] does OutputSize / out x kernel size multiply-adds an example.</summary>
    public static double Of(Sequential model, int batch)
    {
        double macs = 0;
        foreach (var layer in model.Layers)
        {
            if (layer.Parameters.FirstOrDefault(p => p.Shape.Dims.Count >= 2) is not { } kernel) continue;
            macs += (double)layer.OutputShape.Size / kernel.Shape[-1] * kernel.Shape.Size;
        }
        return Training(macs * batch);
    }

    /// <summary>The PTB LSTM of <paramref name="config"/>: per word, each layer's four gates from [input, h] and the softmax over <paramref name="vocabulary"/>.</summary>
    public static double Of(PtbConfig config, int vocabulary)
    {
        double hidden = config.HiddenSize;
        double perWord = config.NumLayers * (2 * hidden) * (4 * hidden) + hidden * vocabulary;
        return Training(perWord * config.BatchSize * config.NumSteps);
    }

    /// <summary>word2vec's NCE step: per example, the logits of the true and <paramref name="sampled"/> classes, <paramref name="dimension"/> long.</summary>
    public static double SkipGram(int batch, int dimension, int sampled) => Training((double)batch * (1 + sampled) * dimension);

    private static double Training(double forwardMacs) => 3 * 2 * forwardMacs;
}
