using System.Diagnostics;
using GpuTrain.Persistence.Bundle;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// Resume is exact: N steps in one run and the same N steps in a run interrupted after a checkpoint
/// (SIGKILLed, or stopped by a step limit), then resumed, end in bit-identical checkpoints, tensor by
/// tensor (parameters, optimizer slots, global step, data cursor, carried LSTM state), on the CPU accelerator.
/// </summary>
public sealed class ExactResumeTests
{
    [SharedTheory]
    [InlineData("mnist-mlp", 60, "hidden1/kernel/Adam_1")]
    [InlineData("mnist-cnn", 30, "conv1/kernel/Adam_1")]
    [InlineData("word2vec", 3000, "data/batches")]
    public void AKilledAndResumedRunEndsBitIdenticalToAnUninterruptedOne(string model, int steps, string stateTensor)
    {
        using var dir = new TempDir();
        string straight = dir.Combine("straight"), killed = dir.Combine("killed");
        string[] Args(string run, bool resume) =>
        [
            "train", model, "--device", "cpu", "--steps", steps.ToString(), "--save-every", (steps / 3).ToString(),
            "--eval-every", "0", "--logdir", run,
            .. model == "word2vec" ? ["--vocab-size", "2000", "--embedding-size", "16", "--num-sampled", "8"] : new[] { "--histogram-every", "0" },
            .. resume ? ["--resume"] : Array.Empty<string>(),
        ];

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

        AssertBitIdentical(Path.Combine(straight, $"model.ckpt-{steps}"), Path.Combine(killed, $"model.ckpt-{steps}"), stateTensor);
    }

    [SharedFact]
    public void AStoppedAndResumedPtbRunEndsBitIdenticalToAnUninterruptedOne()
    {
        using var dir = new TempDir();
        TinyPtbCorpus.Write(dir);
        string straight = dir.Combine("straight"), stopped = dir.Combine("stopped");
        string[] Args(string run, params string[] more) =>
            ["train", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--epochs", "2", "--logdir", run, .. more];

        var uninterrupted = CliRunner.Run(Args(straight));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stdout + uninterrupted.Stderr);
        // Step 8 is mid-epoch 2 (6 batches an epoch): the checkpoint carries a non-zero LSTM state.
        var first = CliRunner.Run(Args(stopped, "--max-steps", "8"));
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var resumed = CliRunner.Run(Args(stopped, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("at step 8", resumed.Stdout);
        // The summary counts the steps this run took and names the checkpoint a later --resume takes.
        Assert.Contains("done: step 12 (4 steps from step 8 in ", resumed.Stdout);
        Assert.Contains("; latest checkpoint " + Path.Combine(stopped, "model.ckpt-12"), resumed.Stdout);

        AssertBitIdentical(Path.Combine(straight, "model.ckpt-12"), Path.Combine(stopped, "model.ckpt-12"), "Model/state/cell_1/h");
    }

    private static void AssertBitIdentical(string expectedPrefix, string actualPrefix, string stateTensor)
    {
        var expected = TensorBundleReader.Open(expectedPrefix);
        var actual = TensorBundleReader.Open(actualPrefix);
        Assert.Equal(expected.Entries.Select(e => e.Name), actual.Entries.Select(e => e.Name));
        Assert.Contains(expected.Entries, e => e.Name == stateTensor);
        foreach (var entry in expected.Entries)
            Assert.True(expected.Read(entry.Name).Data.AsSpan().SequenceEqual(actual.Read(entry.Name).Data), $"tensor '{entry.Name}' differs");
    }
}
