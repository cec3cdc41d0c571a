using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

public sealed class TrainCommandTests
{
    [SharedFact]
    public void TheMainJobTrainsWritesCheckerCleanCheckpointsAndLogsAndResumes()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        string summary = dir.Combine("summary.json");

        var first = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "40", "--save-every", "20",
            "--eval-every", "40", "--logdir", run, "--summary-json", summary]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("device: cpu", first.Stdout);
        Assert.True(File.Exists(Path.Combine(run, "model.ckpt-20.index")));
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-40"));
        TfCheck.AssertClean("state", run);
        TfCheck.AssertClean("events", run);
        using (var json = JsonDocument.Parse(File.ReadAllText(summary)))
        {
            Assert.Equal(40, json.RootElement.GetProperty("steps").GetInt64());
            double accuracy = json.RootElement.GetProperty("eval_accuracy").GetDouble();
            Assert.InRange(accuracy, 0.3, 1.0); // 40 steps of Adam on digits: far above the 10% of chance
        }

        var refused = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "60", "--logdir", run]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--resume", refused.Stderr);

        var resumed = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "60", "--save-every", "0",
            "--eval-every", "0", "--logdir", run, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("at step 40", resumed.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-60"));
        TfCheck.AssertClean("events", run);
    }
}
