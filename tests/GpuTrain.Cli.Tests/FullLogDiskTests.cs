using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>The log disk filling up never costs the run: training and checkpoints go on, the loss is reported once and summed up at the end.</summary>
public sealed class FullLogDiskTests
{
    [TinyFilesystemFact]
    public void AFullLogDiskIsReportedOnceAndTrainingAndCheckpointsGoOn()
    {
        // Histograms of every parameter and gradient at every step fill 256 KiB within the first few steps.
        using var disk = new TinyFilesystem(256);
        using var checkpoints = new TempDir();
        string summary = Path.Combine(checkpoints.Path, "summary.json");
        var run = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "60", "--save-every", "20", "--eval-every", "0",
            "--histogram-every", "1", "--logdir", disk.Path, "--checkpoint-dir", checkpoints.Path, "--summary-json", summary]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        string eventFile = Assert.Single(Directory.GetFiles(disk.Path, "*tfevents*"));
        Assert.Single(run.Stderr.Split('\n'), line => line.Contains("cannot be written"));
        Assert.Contains($"logging: event file {eventFile} cannot be written (No space left on device", run.Stderr);
        Assert.Contains("training goes on", run.Stderr);
        Assert.Matches($@"logging: \d+ of \d+ events were not written to {System.Text.RegularExpressions.Regex.Escape(eventFile)}", run.Stderr);
        Assert.Contains("step 60/60", run.Stdout);
        foreach (int step in new[] { 20, 40, 60 })
            TfCheck.AssertClean("ckpt", Path.Combine(checkpoints.Path, $"model.ckpt-{step}"));
        TfCheck.AssertClean("events", eventFile); // what was written is whole records only
        Assert.DoesNotContain("   at ", run.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(summary));
        Assert.True(json.RootElement.GetProperty("events_lost").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("events_written").GetInt64() >= 0);
    }
}
