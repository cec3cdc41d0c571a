using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Examples.Mnist;

/// <summary>
/// The "Deep MNIST for Experts" CNN of the TensorFlow 1 tutorial, written with the public API:
/// two 5x5 SAME convolutions (32 and 64 filters) each followed by ReLU and a 2x2 max pool, a
/// 1024-unit dense layer with ReLU, dropout with keep_prob 0.5, and a 10-way dense readout. Weights
/// start from a truncated normal with stddev 0.1 and biases at 0.1, as the tutorial's
/// <c>weight_variable</c> and <c>bias_variable</c> do. Trained with Adam 1e-4 on batches of 50.
/// </summary>
public static class DeepMnistCnn
{
    /// <summary>The tutorial's learning rate.</summary>
    public const float LearningRate = 1e-4f;

    /// <summary>The tutorial's batch size.</summary>
    public const int BatchSize = 50;

    /// <summary>Builds the model for 28x28x1 images, its initial values drawn from <paramref name="seed"/>.</summary>
    public static Sequential Create(Device device, ulong seed = 0)
    {
        Initializer Weights() => new TruncatedNormal(stddev: 0.1f);
        Initializer Biases() => new Constant(0.1f);
        return new Sequential(device, inputShape: [28, 28, 1], seed,
            new Conv2D(32, 5, Padding.Same, kernelInitializer: Weights(), biasInitializer: Biases()),
            new ReLU(),
            new MaxPool2D(2),
            new Conv2D(64, 5, Padding.Same, kernelInitializer: Weights(), biasInitializer: Biases()),
            new ReLU(),
            new MaxPool2D(2),
            new Flatten(),
            new Dense(1024, kernelInitializer: Weights(), biasInitializer: Biases()),
            new ReLU(),
            new Dropout(0.5f),
            new Dense(10, kernelInitializer: Weights(), biasInitializer: Biases()));
    }
}
