using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Classification accuracy of a model on a labelled set, with dropout off: the examples run through
/// the model in chunks of its planned batch size (the last chunk padded, its padding not counted),
/// and an example is correct when its largest logit is its label (the first one on ties).
/// </summary>
public static class ClassifierEvaluation
{
    /// <summary>The fraction of the <paramref name="labels"/>.Length examples classified correctly.</summary>
    /// <param name="model">The model; planned for <paramref name="batch"/> if it has no plan yet.</param>
    /// <param name="images">The examples, input-size floats each.</param>
    /// <param name="labels">One class per example.</param>
    /// <param name="batch">Chunk size when the model is not planned yet.</param>
    /// <param name="progress">Receives (examples done, examples), if given.</param>
    /// <exception cref="ArgumentException">The sizes do not match the model.</exception>
    public static double Accuracy(Sequential model, ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int batch = 50,
        IProgress<(long Done, long Total)>? progress = null)
    {
        int inputSize = checked((int)model.InputShape.Size), classes = checked((int)model.OutputShape.Size);
        if (labels.Length == 0 || images.Length != labels.Length * inputSize)
            throw new ArgumentException($"evaluation needs {inputSize} floats per label; got {images.Length} floats for {labels.Length} labels", nameof(images));
        if (model.Batch == 0) model.Plan(batch);
        int b = model.Batch, correct = 0;
        var logits = new float[b * classes];
        var padded = new float[b * inputSize];
        for (int start = 0; start < labels.Length; start += b)
        {
            int n = Math.Min(b, labels.Length - start);
            var chunk = images.Slice(start * inputSize, n * inputSize);
            if (n < b)
            {
                chunk.CopyTo(padded);
                model.Input.CopyFromCPU(padded);
            }
            else model.Input.CopyFromCPU(chunk);
            model.Forward(new PassContext(Training: false, Seed: 0, Step: 0));
            model.Output.CopyToCPU(logits);
            for (int i = 0; i < n; i++)
                if (ArgMax(logits.AsSpan(i * classes, classes)) == labels[start + i]) correct++;
            progress?.Report((start + n, labels.Length));
        }
        return (double)correct / labels.Length;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
