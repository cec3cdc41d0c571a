using GpuTrain.Kernels;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Checkpointing;

public sealed class TrainingCheckpointTests
{
    private const int Classes = 10;

    [SharedFact]
    public void ResumingFromAMidRunCheckpointEndsBitIdenticalToAnUninterruptedRun()
    {
        using var dir = new TempDir();
        var data = SyntheticDigits();

        float[] straight = Train(data, dir.Combine("straight"), steps: 12, resume: false);
        Train(data, dir.Combine("split"), steps: 6, resume: false);
        float[] resumed = Train(data, dir.Combine("split"), steps: 12, resume: true);

        Assert.Equal(straight, resumed);
        var reader = TensorBundleReader.Open(Path.Combine(dir.Combine("split"), "model.ckpt-12"));
        var names = reader.Entries.Select(e => e.Name).ToHashSet();
        Assert.Contains("hidden/kernel/Adam", names);
        Assert.Contains("hidden/kernel/Adam_1", names);
        Assert.Contains("beta1_power", names);
        Assert.Contains("global_step", names);
        TfCheck.AssertClean("ckpt", Path.Combine(dir.Combine("split"), "model.ckpt-12"));
        TfCheck.AssertClean("state", dir.Combine("split"));
    }

    // Trains to `steps` (resuming from the folder's latest checkpoint when asked), saving every 3 steps;
    // returns the final parameters followed by Adam's slots.
    private static float[] Train(ImageDataset data, string folder, int steps, bool resume)
    {
        using var device = Device.Open("cpu");
        using var model = new Sequential(device, [4, 4, 1], 7,
            new Flatten(), new Dense(8, name: "hidden"), new ReLU(), new Dropout(0.25f), new Dense(Classes, name: "out"));
        using var adam = new Adam(0.01f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
        var batches = new ShuffledBatcher(data, 5, shuffleSeed: 11);
        using var checkpoint = new Checkpoint(trainer, [batches]);
        if (resume)
        {
            Assert.EndsWith("model.ckpt-6", checkpoint.RestoreLatest(folder));
            Assert.Equal(6, trainer.GlobalStep);
            Assert.Equal(new BatchCursor(1, 10, 11), batches.Cursor); // 23 examples: 4 batches of 5 an epoch, so step 6 is epoch 1, batch 2
        }
        var loop = new TrainingLoop<LabeledBatch>(trainer, batches);
        loop.Observers.Add(new CheckpointObserver(checkpoint, Path.Combine(folder, "model.ckpt"), 3, log: null, _ => { }));
        loop.Run(steps);
        return [.. model.Parameters.DownloadAll(), .. adam.Variables.SelectMany(v => v.Arena.Download(v.Slice))];
    }

    private static ImageDataset SyntheticDigits()
    {
        const int n = 23;
        var pixels = new float[n * 16];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % Classes;
            for (int p = 0; p < 16; p++) pixels[i * 16 + p] = Philox.Uniform(5, (ulong)i, (ulong)p) + (p == labels[i] ? 1f : 0f);
        }
        return new ImageDataset("synthetic", 4, 4, pixels, labels);
    }
}
