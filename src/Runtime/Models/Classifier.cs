using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Models;

/// <summary>
/// A <see cref="Sequential"/> network with the softmax cross-entropy on its logits, as the training
/// core sees it: a step uploads the batch, runs forward, the loss and backward. Buffers are planned on
/// the first batch (and again only if the batch size changes), so steps allocate nothing on the device.
/// </summary>
public sealed class Classifier : ITrainable<LabeledBatch>, IDisposable
{
    private readonly SoftmaxCrossEntropy _loss;
    private Tensor<int>? _labels;

    /// <summary>Trains <paramref name="network"/> with <paramref name="loss"/> (both owned from here on).</summary>
    public Classifier(Sequential network, SoftmaxCrossEntropy loss)
    {
        Network = network;
        _loss = loss;
    }

    /// <summary>The network.</summary>
    public Sequential Network { get; }

    /// <inheritdoc />
    public Device Device => Network.Device;

    /// <inheritdoc />
    public ParameterArena Parameters => Network.Parameters;

    /// <inheritdoc />
    public ParameterArena? Gradients => Network.Gradients;

    /// <inheritdoc />
    public float ComputeGradients(LabeledBatch batch, PassContext pass)
    {
        var profile = Network.Profile;
        long start = profile?.Start(Device) ?? 0;
        Upload(batch.Images.Span, batch.Labels.Span);
        profile?.Stop(Device, "upload", start);
        Network.Forward(pass);
        start = profile?.Start(Device) ?? 0;
        float loss = _loss.Compute(Network, _labels!.View);
        profile?.Stop(Device, "loss", start);
        Network.Backward(pass);
        return loss;
    }

    private void Upload(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length, inputSize = checked((int)Network.InputShape.Size);
        if (batch == 0 || images.Length != batch * inputSize)
            throw new ArgumentException(
                $"a batch of {batch} examples of shape {Network.InputShape} needs {batch * inputSize} floats; got {images.Length}", nameof(images));
        int classes = checked((int)Network.OutputShape.Size);
        foreach (int label in labels)
            if ((uint)label >= (uint)classes)
                throw new ArgumentException($"label {label} is outside the model's {classes} classes", nameof(labels));
        Network.Plan(batch);
        if (_labels is null || _labels.Size != batch)
        {
            _labels?.Dispose();
            _labels = new Tensor<int>(Network.Device, new Shape(batch));
        }
        Network.Input.CopyFromCPU(images);
        _labels.View.CopyFromCPU(labels);
    }

    /// <summary>Frees the label buffer and the loss's buffers (the network is disposed by its owner).</summary>
    public void Dispose()
    {
        _labels?.Dispose();
        _loss.Dispose();
    }
}
