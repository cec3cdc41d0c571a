using GpuTrain.Examples.Mnist;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>The Deep MNIST CNN (batch 50, Adam 1e-4) stepping on one fixed synthetic batch, as perf/peers/torch_mnist_cnn.py does.</summary>
public sealed class MnistCnnWorkload : IStepWorkload
{
    private readonly Sequential _model;
    private readonly Adam _adam;
    private readonly Trainer _trainer;
    private readonly float[] _images;
    private readonly int[] _labels;

    /// <summary>Builds the model on <paramref name="device"/>.</summary>
    public MnistCnnWorkload(Device device, int batch = DeepMnistCnn.BatchSize)
    {
        _model = DeepMnistCnn.Create(device, seed: 1);
        FlopsPerStep = StepFlops.Of(_model, batch);
        _adam = new Adam(DeepMnistCnn.LearningRate);
        _trainer = new Trainer(_model, new SoftmaxCrossEntropy(), _adam);
        var random = new Random(7);
        _images = new float[batch * 784];
        for (int i = 0; i < _images.Length; i++) _images[i] = random.NextSingle();
        _labels = new int[batch];
        for (int i = 0; i < batch; i++) _labels[i] = random.Next(10);
    }

    /// <inheritdoc />
    public double FlopsPerStep { get; }

    /// <summary>The model (for profiling).</summary>
    public Sequential Model => _model;

    /// <summary>The trainer (for profiling).</summary>
    public Trainer Trainer => _trainer;

    /// <inheritdoc />
    public void Step() => _trainer.Step(_images, _labels); // the returned loss is read back, which waits for the device

    /// <inheritdoc />
    public void Dispose()
    {
        _trainer.Dispose();
        _adam.Dispose();
        _model.Dispose();
    }
}
