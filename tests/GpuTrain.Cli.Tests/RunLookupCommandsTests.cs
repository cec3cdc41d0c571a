using System.Globalization;
using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// latest, inspect, eval, events and plot find the newest run of a model under ./runs (as train
/// --resume does), and --step picks a checkpoint of that run; one short mnist-mlp run in a fresh
/// working directory serves them all.
/// </summary>
public sealed class RunLookupCommandsTests
{
    [Fact]
    public void CommandsFindTheNewestRunOfAModelAndTheCheckpointOfAStep()
    {
        using var dir = new TempDir();
        string cwd = dir.Combine("work");
        Directory.CreateDirectory(cwd);
        var missing = CliRunner.Run(["eval", "mnist-mlp"], cwd);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no run of mnist-mlp under", missing.Stderr);

        var train = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "20", "--save-every", "10", "--eval-every", "0"], cwd);
        Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
        string run = Assert.Single(Directory.GetDirectories(Path.Combine(cwd, "runs")));

        var latest = CliRunner.Run(["latest", "mnist-mlp"], cwd);
        Assert.Equal(Path.Combine(run, "model.ckpt-20"), latest.Stdout.Trim());

        var inspect = CliRunner.Run(["inspect", "mnist-mlp", "--step", "10", "--tensor", "global_step", "--json"], cwd);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Single(inspect.Stdout.Trim().Split('\n'));  // compact: one line
        using (var json = JsonDocument.Parse(inspect.Stdout))
            Assert.Equal(10, json.RootElement.GetProperty("values")[0].GetDouble());

        var eval = CliRunner.Run(["eval", "mnist-mlp", "--device", "cpu", "--step", "10"], cwd);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("model.ckpt-10: accuracy", eval.Stdout);
        var noSuchStep = CliRunner.Run(["eval", "mnist-mlp", "--device", "cpu", "--step", "7"], cwd);
        Assert.Equal(1, noSuchStep.ExitCode);
        Assert.Contains("no checkpoint at step 7", noSuchStep.Stderr);
        Assert.Contains("its steps: 10, 20", noSuchStep.Stderr);

        var events = CliRunner.Run(["events", "mnist-mlp", "--tag", "loss"], cwd);
        var lines = events.Stdout.Trim().Split('\n');
        Assert.StartsWith("step", lines[0].Trim());
        Assert.Equal(21, lines.Length);  // the header and steps 1 to 20
        string[] first = lines[1].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("1", first[0]);
        var logged = DateTime.ParseExact(first[1], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.InRange((DateTime.Now - logged).TotalMinutes, 0, 30);

        var plot = CliRunner.Run(["plot", "mnist-mlp", "--tag", "loss", "--smooth", "0.6", "--log-y"], cwd);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        byte[] png = File.ReadAllBytes(Path.Combine(run, "loss.png"));  // beside the run by default
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var badSmoothing = CliRunner.Run(["plot", "mnist-mlp", "--smooth", "1"], cwd);
        Assert.Equal(1, badSmoothing.ExitCode);
        Assert.Contains("--smooth", badSmoothing.Stderr);
    }
}
