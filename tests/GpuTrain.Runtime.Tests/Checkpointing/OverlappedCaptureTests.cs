using System.Runtime.InteropServices;
using GpuTrain.Kernels;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using GpuTrain.TestSupport;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Checkpointing;

/// <summary>
/// A save's staging copy runs while the next steps' forward and backward passes do; the trainer's
/// update waits for it. The checkpoint of step N must hold the parameters and Adam slots of exactly
/// step N, bit for bit, although training went on to step N + 4 before the writer finished. The
/// model is wide (12 MB of state) and its batch tiny, so an update that did not wait would write
/// while the copy is still running.
/// </summary>
public sealed class OverlappedCaptureTests
{
    [SharedFact]
    public void ACheckpointHoldsExactlyTheStateOfItsStepWhileTrainingGoesOn()
    {
        using var dir = new TempDir();
        using var device = Device.Open("cpu");
        using var model = new Sequential(device, [16, 16, 1], 7,
            new Flatten(), new Dense(4096, name: "wide"), new ReLU(), new Dense(10, name: "out"));
        using var adam = new Adam(0.01f);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, seed: 3);
        var images = new float[2 * 256];
        for (int i = 0; i < images.Length; i++) images[i] = Philox.Uniform(9, 0, (ulong)i);
        int[] labels = [3, 7];
        for (int i = 0; i < 3; i++) trainer.Step(images, labels);
        using var checkpoint = new Checkpoint(trainer, []);

        var expected = Snapshot(model, adam);
        checkpoint.SaveInBackground(dir.Combine("model.ckpt"));
        for (int i = 0; i < 4; i++) trainer.Step(images, labels);
        var outcome = checkpoint.WaitForSave();

        Assert.NotNull(outcome);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        string prefix = dir.Combine("model.ckpt-3");
        Assert.Equal(prefix, outcome.Prefix);
        var reader = TensorBundleReader.Open(prefix);
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(MemoryMarshal.Cast<byte, float>(reader.Read(name).Data)), $"{name} differs from step 3's value");
        // Training did move on, so the comparison above could fail.
        Assert.NotEqual(expected["wide/kernel"], model.Parameters.Download(model.Parameters.Layout.Slices.Single(s => s.Name == "wide/kernel")));
        TfCheck.AssertClean("ckpt", prefix);
    }

    private static Dictionary<string, float[]> Snapshot(Sequential model, Adam adam)
    {
        var values = model.Parameters.Layout.Slices.ToDictionary(s => s.Name, s => model.Parameters.Download(s));
        foreach (var v in adam.Variables) values[v.Name] = v.Arena.Download(v.Slice);
        return values;
    }
}
