using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The <see cref="Trainer{TBatch}"/> of a <see cref="Sequential"/> classifier, with the softmax
/// cross-entropy: steps on spans of images and labels, and measures held-out accuracy.
/// </summary>
public sealed class Trainer : Trainer<LabeledBatch>, IDisposable
{
    private readonly Classifier _classifier;

    /// <summary>Trains <paramref name="model"/> with <paramref name="loss"/> and <paramref name="optimizer"/>.</summary>
    /// <param name="model">The model (its parameters are updated in place).</param>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="seed">Seed of the run's random draws (dropout masks).</param>
    public Trainer(Sequential model, SoftmaxCrossEntropy loss, Optimizer optimizer, ulong seed = 1)
        : this(new Classifier(model, loss), optimizer, seed) { }

    private Trainer(Classifier classifier, Optimizer optimizer, ulong seed) : base(classifier, optimizer, seed) =>
        _classifier = classifier;

    /// <summary>The network being trained.</summary>
    public Sequential Network => _classifier.Network;

    /// <summary>
    /// One optimization step on a batch: <paramref name="images"/> holds batch x input-size floats,
    /// <paramref name="labels"/> one class per example. Returns the batch's mean loss.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match the model's input shape, or a label is out of range.</exception>
    public float Step(ReadOnlyMemory<float> images, ReadOnlyMemory<int> labels) => Step(new LabeledBatch(images, labels));

    /// <summary>
    /// Classification accuracy on <paramref name="labels"/>.Length examples (dropout off), run in
    /// chunks of the planned batch size (the first step's; <paramref name="batch"/> if none yet).
    /// </summary>
    public double Evaluate(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int batch = 50) =>
        ClassifierEvaluation.Accuracy(Network, images, labels, batch);

    /// <inheritdoc />
    public void Dispose() => _classifier.Dispose();
}
