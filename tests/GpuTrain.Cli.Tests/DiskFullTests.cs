using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

public sealed class DiskFullTests
{
    [TinyFilesystemTheory]
    // One mnist-mlp checkpoint with its Adam slots is about 1.3 MB, and so is a word2vec one of
    // 5,000 x 32 (embeddings, NCE weights and biases): the second cannot fit in 2 MB.
    [InlineData("mnist-mlp", "--eval-every", "0")]
    [InlineData("word2vec", "--vocab-size", "5000", "--embedding-size", "32", "--num-sampled", "8", "--eval-every", "0", "--probes", "three")]
    public void ASaveIntoAFullDiskFailsCleanlyTrainingGoesOnAndTheEarlierCheckpointStaysRestorable(string model, params string[] options)
    {
        using var disk = new TinyFilesystem(2048);
        using var logs = new TempDir();
        var run = CliRunner.Run(["train", model, "--device", "cpu", "--steps", "30", "--save-every", "10",
            "--histogram-every", "0", "--logdir", logs.Path, "--checkpoint-dir", disk.Path, .. options]);

        Assert.Equal(1, run.ExitCode); // the final save failed too, and nothing would retry it
        Assert.Contains("saved step 10: " + Path.Combine(disk.Path, "model.ckpt-10"), run.Stdout);
        Assert.Contains("model.ckpt-20 was not saved", run.Stdout);
        Assert.Contains("training goes on", run.Stdout);
        Assert.Contains("step 30/30", run.Stdout); // it trained to the end
        Assert.Contains("final state is not saved", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr); // an error message, not a stack trace

        // Nothing half-written is left, and the latest checkpoint is the intact one.
        Assert.Equal(["model.ckpt-10.index"], Directory.GetFiles(disk.Path, "*.index").Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(disk.Path, "*tempstate*"));
        TfCheck.AssertClean("ckpt", Path.Combine(disk.Path, "model.ckpt-10"));
        TfCheck.AssertClean("state", disk.Path);
        var restored = model == "word2vec"
            ? CliRunner.Run(["similar", "--checkpoint", disk.Path, "three"])
            : CliRunner.Run(["eval", model, "--device", "cpu", "--checkpoint", disk.Path]);
        Assert.True(restored.ExitCode == 0, restored.Stdout + restored.Stderr);
        Assert.Contains(model == "word2vec" ? "three: " : "model.ckpt-10: accuracy", restored.Stdout);
    }
}
