using System.Diagnostics;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>One writer per checkpoint folder; readers need no lock.</summary>
public sealed class OneWriterTests
{
    [SharedFact]
    public void ASecondTrainingRunOnTheSameFolderIsRefusedNamingTheFirstsPidWhileReadersGoOn()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        using var first = CliRunner.Start(["train", "mnist-mlp", "--device", "cpu", "--steps", "1000000", "--save-every", "5",
            "--eval-every", "0", "--histogram-every", "0", "--logdir", run]);
        try
        {
            var wait = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(run, "checkpoint")) && wait.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(100);
            Assert.True(File.Exists(Path.Combine(run, "checkpoint")), "the first run saved nothing in 2 minutes");

            var second = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "20", "--eval-every", "0", "--logdir", run, "--resume"]);
            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"error: checkpoint folder {run} is in use by another training run (pid {first.Id})", second.Stderr);
            Assert.DoesNotContain("device:", second.Stdout); // refused before anything was restored or loaded

            var inspect = CliRunner.Run(["inspect", run]);
            Assert.True(inspect.ExitCode == 0, inspect.Stdout + inspect.Stderr);
            Assert.Contains("global_step", inspect.Stdout);
        }
        finally
        {
            first.Kill();
            first.WaitForExit();
        }

        // Killed, the first run's lock is gone with it: the folder resumes.
        var resumed = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "1", "--eval-every", "0", "--histogram-every", "0",
            "--logdir", run, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("resume: restored", resumed.Stdout);
    }
}
