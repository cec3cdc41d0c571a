using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

public sealed class DiskFullTests
{
    [TinyFilesystemFact]
    public void ASaveIntoAFullDiskFailsCleanlyTrainingGoesOnAndTheEarlierCheckpointStaysRestorable()
    {
        // One mnist-mlp checkpoint with its Adam slots is about 1.3 MB: the second cannot fit in 2 MB.
        using var disk = new TinyFilesystem(2048);
        using var logs = new TempDir();
        var run = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "30", "--save-every", "10",
            "--eval-every", "0", "--histogram-every", "0", "--logdir", logs.Path, "--checkpoint-dir", disk.Path]);

        Assert.Equal(1, run.ExitCode); // the final save failed too, and nothing would retry it
        Assert.Contains("saved " + Path.Combine(disk.Path, "model.ckpt-10"), run.Stdout);
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
        var eval = CliRunner.Run(["eval", "mnist-mlp", "--device", "cpu", "--checkpoint", disk.Path]);
        Assert.True(eval.ExitCode == 0, eval.Stdout + eval.Stderr);
        Assert.Contains("model.ckpt-10: accuracy", eval.Stdout);
    }
}
