using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// One training step at a time: upload the batch, forward, loss, backward, optimizer update. Buffers
/// are planned on the first step (and again only if the batch size changes), so steps allocate nothing
/// on the device. Evaluation reuses the same buffers in chunks of the planned batch size.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly SoftmaxCrossEntropy _loss;
    private readonly Optimizer _optimizer;
    private Tensor<int>? _labels;

    /// <summary>Trains <paramref name="model"/> with <paramref name="loss"/> and <paramref name="optimizer"/>.</summary>
    /// <param name="model">The model (its parameters are updated in place).</param>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="seed">Seed of the run's random draws (dropout masks).</param>
    public Trainer(Sequential model, SoftmaxCrossEntropy loss, Optimizer optimizer, ulong seed = 1)
    {
        Model = model;
        _loss = loss;
        _optimizer = optimizer;
        Seed = seed;
    }

    /// <summary>The model being trained.</summary>
    public Sequential Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>Seed of the run's random draws.</summary>
    public ulong Seed { get; }

    /// <summary>Steps taken so far (the next step's number); restoring a checkpoint sets it.</summary>
    public long GlobalStep { get; set; }

    /// <summary>
    /// One optimization step on a batch: <paramref name="images"/> holds batch x input-size floats,
    /// <paramref name="labels"/> one class per example. Returns the batch's mean loss.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match the model's input shape.</exception>
    public float Step(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        var device = Model.Device;
        var profile = Model.Profile;
        long start = profile?.Start(device) ?? 0;
        int batch = Upload(images, labels);
        Model.Gradients.Clear();
        profile?.Stop(device, "upload+zero_grad", start);
        var pass = new PassContext(batch, Training: true, Seed, GlobalStep);
        Model.Forward(pass);
        start = profile?.Start(device) ?? 0;
        float loss = _loss.Compute(Model, _labels!.View);
        profile?.Stop(device, "loss", start);
        Model.Backward(pass);
        start = profile?.Start(device) ?? 0;
        _optimizer.Apply(Model.Parameters, Model.Gradients);
        profile?.Stop(device, "optimizer", start);
        if (profile is not null) profile.Steps++;
        GlobalStep++;
        return loss;
    }

    /// <summary>
    /// Classification accuracy on <paramref name="labels"/>.Length examples (dropout off), run in
    /// chunks of the planned batch size (the first step's; <paramref name="batch"/> if none yet).
    /// </summary>
    public double Evaluate(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int batch = 50) =>
        ClassifierEvaluation.Accuracy(Model, images, labels, batch);

    private int Upload(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length, inputSize = checked((int)Model.InputShape.Size);
        if (batch == 0 || images.Length != batch * inputSize)
            throw new ArgumentException(
                $"a batch of {batch} examples of shape {Model.InputShape} needs {batch * inputSize} floats; got {images.Length}");
        int classes = checked((int)Model.OutputShape.Size);
        foreach (int label in labels)
            if ((uint)label >= (uint)classes)
                throw new ArgumentException($"label {label} is outside the model's {classes} classes");
        Model.Plan(batch);
        if (_labels is null || _labels.Size != batch)
        {
            _labels?.Dispose();
            _labels = new Tensor<int>(Model.Device, new Shape(batch));
        }
        Model.Input.CopyFromCPU(images);
        _labels.View.CopyFromCPU(labels);
        return batch;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _labels?.Dispose();
        _loss.Dispose();
    }
}
