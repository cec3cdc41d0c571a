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

    [DeviceFact(NeedsShared = true)]
    [Trait("Category", TestDevice.Category)]
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

    [SharedFact]
    public void ASaveIsReportedAtTheFirstStepAfterItIsDurableAndTheSummaryNamesTheLatestCheckpoint()
    {
        using var dir = new TempDir();
        string prefix = dir.Combine("model.ckpt");
        using var device = Device.Open("cpu");
        using var model = new Sequential(device, [4, 4, 1], 7, new Flatten(), new Dense(Classes, name: "out"));
        using var adam = new Adam(0.01f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
        var batches = new ShuffledBatcher(SyntheticDigits(), 5, shuffleSeed: 11);
        using var checkpoint = new Checkpoint(trainer, [batches]);
        var reports = new List<(long Step, string Line)>();
        var loop = new TrainingLoop<LabeledBatch>(trainer, batches) { Report = line => reports.Add((trainer.GlobalStep, line)) };
        loop.Observers.AddRange([
            new WaitAtStep(6, () => File.Exists(prefix + "-5.index") && StateFileNames(dir.Combine("checkpoint"), "model.ckpt-5")),
            new CheckpointObserver(checkpoint, prefix, 5, log: null),
        ]);

        var summary = loop.Run(9);

        // Step 5's save is reported at step 6, once it is durable, not at the next save (step 9).
        Assert.Equal((6L, "saved step 5: " + prefix + "-5"), (reports[0].Step, reports[0].Line[..(reports[0].Line.IndexOf(' ', 14))]));
        Assert.StartsWith("saved step 9: " + prefix + "-9 ", reports[1].Line);
        Assert.Equal(2, reports.Count);
        Assert.Equal(prefix + "-9", summary.LatestCheckpoint);
        Assert.Equal((0L, 9L, 9L), (summary.StartStep, summary.StepsRun, summary.Steps));
    }

    [Fact]
    public void ResumingWithADataCursorThatDoesNotFitTheseBatchesNamesTheCheckpoint()
    {
        using var dir = new TempDir();
        string folder = dir.Combine("run");
        RunSaving(folder, batchSize: 5, steps: 6);

        // Step 6 of batches of 5 stands at example 10 of epoch 1: not a batch start for batches of 4.
        var error = Assert.Throws<ArgumentException>(() => RunSaving(folder, batchSize: 4, steps: 0));
        Assert.Equal("directory", error.ParamName);
        Assert.StartsWith($"checkpoint {folder}/model.ckpt-6 does not fit this run: cursor ", error.Message);
        Assert.Contains("is not a batch start of 'synthetic' (23 examples, batch 4) (Parameter 'directory')", error.Message);
    }

    // Restores the folder's latest checkpoint when it has one, then trains `steps` more, saving every 3.
    private static void RunSaving(string folder, int batchSize, int steps)
    {
        using var device = Device.Open("cpu");
        using var model = new Sequential(device, [4, 4, 1], 7, new Flatten(), new Dense(Classes, name: "out"));
        using var adam = new Adam(0.01f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
        var batches = new ShuffledBatcher(SyntheticDigits(), batchSize, shuffleSeed: 11);
        using var checkpoint = new Checkpoint(trainer, [batches]);
        checkpoint.RestoreLatest(folder);
        var loop = new TrainingLoop<LabeledBatch>(trainer, batches);
        loop.Observers.Add(new CheckpointObserver(checkpoint, Path.Combine(folder, "model.ckpt"), 3, log: null));
        loop.Run(steps);
    }

    private static bool StateFileNames(string path, string name)
    {
        try
        {
            return File.ReadAllText(path).Contains(name);
        }
        catch (IOException)
        {
            return false; // not written yet, or being replaced
        }
    }

    // Holds the training thread at one step until a condition holds (up to 30 s), so what the observers
    // after it see at that step does not depend on how fast the background writes.
    private sealed class WaitAtStep(long step, Func<bool> condition) : ITrainingObserver
    {
        public void OnStep(TrainingRun run)
        {
            if (run.GlobalStep != step) return;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition() && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Thread.Sleep(200); // the save's task completes just after its last file is in place
        }
    }

    // Trains to `steps` (resuming from the folder's latest checkpoint when asked), saving every 3 steps;
    // returns the final parameters followed by Adam's slots.
    private static float[] Train(ImageDataset data, string folder, int steps, bool resume)
    {
        using var device = TestDevice.Open();
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
        loop.Observers.Add(new CheckpointObserver(checkpoint, Path.Combine(folder, "model.ckpt"), 3, log: null));
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
