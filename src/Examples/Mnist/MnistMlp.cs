using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Examples.Mnist;

/// <summary>
/// The two-hidden-layer network of TensorFlow's <c>fully_connected_feed</c> MNIST tutorial: 128 and 32
/// ReLU units and a 10-way readout, weights from a truncated normal with stddev 1/sqrt(fan_in), zero
/// biases. Small enough to train to high accuracy in a minute on the CPU accelerator, which makes it
/// the quick end-to-end run (checkpoints and TensorBoard logs included).
/// </summary>
public static class MnistMlp
{
    /// <summary>Adam's learning rate for this model.</summary>
    public const float LearningRate = 1e-3f;

    /// <summary>Builds the model for 28x28x1 images, its initial values drawn from <paramref name="seed"/>.</summary>
    public static Sequential Create(Device device, ulong seed = 0)
    {
        static Initializer Weights(int fanIn) => new TruncatedNormal(stddev: 1f / MathF.Sqrt(fanIn));
        return new Sequential(device, inputShape: [28, 28, 1], seed,
            new Flatten(),
            new Dense(128, kernelInitializer: Weights(784), biasInitializer: new Zeros(), name: "hidden1"),
            new ReLU(),
            new Dense(32, kernelInitializer: Weights(128), biasInitializer: new Zeros(), name: "hidden2"),
            new ReLU(),
            new Dense(10, kernelInitializer: Weights(32), biasInitializer: new Zeros(), name: "softmax_linear"));
    }
}
