using System.Globalization;
using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

public sealed class EvalCommandTests
{
    [SharedFact]
    public void EvalOfTheTrainedCnnReportsTheAccuracyTrainingEndedWith()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        string summary = dir.Combine("summary.json");
        var train = CliRunner.Run(["train", "mnist-cnn", "--device", "cpu", "--steps", "30", "--eval-every", "0",
            "--histogram-every", "0", "--logdir", run, "--summary-json", summary]);
        Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-30"));
        double trained;
        using (var json = JsonDocument.Parse(File.ReadAllText(summary)))
            trained = json.RootElement.GetProperty("eval_accuracy").GetDouble();
        Assert.InRange(trained, 0.2, 1.0); // 30 Adam steps: well above the 10% of chance

        var eval = CliRunner.Run(["eval", "mnist-cnn", "--device", "cpu", "--checkpoint", run]);
        Assert.True(eval.ExitCode == 0, eval.Stdout + eval.Stderr);
        Assert.Contains("model.ckpt-30: accuracy " + (trained * 100).ToString("F2", CultureInfo.InvariantCulture) + " %", eval.Stdout);

        var wrongModel = CliRunner.Run(["eval", "mnist-mlp", "--device", "cpu", "--checkpoint", run]);
        Assert.Equal(1, wrongModel.ExitCode);
        Assert.Contains("has no tensor 'hidden1/", wrongModel.Stderr);

        var missing = CliRunner.Run(["eval", "mnist-cnn", "--device", "cpu", "--checkpoint", dir.Combine("nothing-here")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nothing-here.index", missing.Stderr);
    }
}
