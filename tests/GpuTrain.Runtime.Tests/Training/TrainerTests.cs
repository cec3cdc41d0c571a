using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Training;

public sealed class TrainerTests
{
    /// <summary>The repository's data/digits20, found above the test binaries.</summary>
    private static string Digits20Dir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "data", "digits20");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("data/digits20 not found above " + AppContext.BaseDirectory);
    }

    // Kept tiny on purpose: the CPU accelerator pays microseconds per kernel thread, and the
    // element-wise kernels launch one thread per element.
    private static Sequential SmallCnn(Device device) => new(device, inputShape: [28, 28, 1], seed: 7,
        new Conv2D(4, 5, Padding.Same, stride: 2), new ReLU(), new MaxPool2D(2),
        new Flatten(), new Dropout(0.1f), new Dense(10));

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void TrainingAConvNetOnRealDigitsLowersTheLossAndBeatsChance()
    {
        var split = MnistData.LoadDigits20(Digits20Dir());
        using var device = TestDevice.Open();
        using var model = SmallCnn(device);
        using var adam = new Adam(1e-2f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
        var batches = new ShuffledBatcher(split.Train, 16, shuffleSeed: 5);
        var images = new float[16 * 784];
        var labels = new int[16];
        var losses = new List<float>();
        for (int step = 0; step < 40; step++)
        {
            batches.NextBatch(images, labels);
            losses.Add(trainer.Step(images, labels));
        }
        Assert.Equal(40, trainer.GlobalStep);
        Assert.InRange(losses[0], 1.5, 3.5); // about ln 10 = 2.30 at the start
        Assert.True(losses.TakeLast(10).Average() < 0.6 * losses.Take(10).Average(),
            $"loss went from {losses.Take(10).Average():F3} to {losses.TakeLast(10).Average():F3}");
        double accuracy = trainer.Evaluate(split.Test.Pixels.AsSpan(0, 100 * 784), split.Test.Labels.AsSpan(0, 100));
        Assert.True(accuracy > 0.4, $"accuracy {accuracy:P1} after 40 steps (chance: 10%)");
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void SameSeedsGiveBitIdenticalRunsOnTheCpuAccelerator()
    {
        using var device = TestDevice.Open();
        float[] Run()
        {
            using var model = SmallCnn(device);
            using var adam = new Adam(1e-3f);
            using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
            var rng = new Random(1);
            float[] images = Enumerable.Range(0, 4 * 784).Select(_ => (float)rng.NextDouble()).ToArray();
            int[] labels = [1, 2, 3, 4];
            for (int i = 0; i < 2; i++) trainer.Step(images, labels);
            return model.Parameters.DownloadAll();
        }
        Assert.Equal(Run(), Run());
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void BadBatchesAreRejectedWithTheExpectedSizes()
    {
        using var device = TestDevice.Open();
        using var model = SmallCnn(device);
        using var adam = new Adam(1e-3f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam);
        var e = Assert.Throws<ArgumentException>(() => trainer.Step(new float[100], new int[2]));
        Assert.Contains("1568", e.Message);
        Assert.Throws<ArgumentException>(() => trainer.Step(new float[784], new[] { 10 }));
    }
}
