using System.Diagnostics;
using GpuTrain.Persistence.Bundle;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// Resume is exact: N steps in one run and the same N steps in a run SIGKILLed after its first
/// checkpoint, then resumed, end in bit-identical checkpoints, tensor by tensor (parameters, Adam
/// slots and powers, global step, data cursor), on the CPU accelerator.
/// </summary>
public sealed class ExactResumeTests
{
    [SharedTheory]
    [InlineData("mnist-mlp", 60)]
    [InlineData("mnist-cnn", 30)]
    public void AKilledAndResumedRunEndsBitIdenticalToAnUninterruptedOne(string model, int steps)
    {
        using var dir = new TempDir();
        string straight = dir.Combine("straight"), killed = dir.Combine("killed");
        string every = (steps / 3).ToString();
        string[] Args(string run, bool resume) =>
            ["train", model, "--device", "cpu", "--steps", steps.ToString(), "--save-every", every, "--eval-every", "0",
             "--histogram-every", "0", "--logdir", run, .. resume ? new[] { "--resume" } : []];

        var uninterrupted = CliRunner.Run(Args(straight, resume: false));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stdout + uninterrupted.Stderr);

        using (var process = CliRunner.Start(Args(killed, resume: false)))
        {
            var waited = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(killed, "checkpoint")) && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(20);
            process.Kill();
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, $"model.ckpt-{steps}.index")), "the run was not killed before its end");
        var resumed = CliRunner.Run(Args(killed, resume: true));
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("resume: restored", resumed.Stdout);

        var expected = TensorBundleReader.Open(Path.Combine(straight, $"model.ckpt-{steps}"));
        var actual = TensorBundleReader.Open(Path.Combine(killed, $"model.ckpt-{steps}"));
        Assert.Equal(expected.Entries.Select(e => e.Name), actual.Entries.Select(e => e.Name));
        Assert.Contains(expected.Entries, e => e.Name.EndsWith("/Adam_1", StringComparison.Ordinal));
        foreach (var entry in expected.Entries)
            Assert.True(expected.Read(entry.Name).Data.AsSpan().SequenceEqual(actual.Read(entry.Name).Data), $"tensor '{entry.Name}' differs");
    }
}
