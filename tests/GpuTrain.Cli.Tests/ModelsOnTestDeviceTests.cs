using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// Each tutorial model through the CLI on the test device (GPUTRAIN_TEST_DEVICE): a few steps, saved
/// half-way, resumed to the end, checkpoints checker-clean, and the final loss equal to the CPU run of
/// the same seed to rounding (relative 1e-3: the devices sum in different orders, nothing more).
/// </summary>
[Trait("Category", TestDevice.Category)]
public sealed class ModelsOnTestDeviceTests
{
    private const double LossTolerance = 1e-3;

    [DeviceFact(NeedsShared = true)]
    public void MnistMlpMatchesTheCpuAndResumes() =>
        SaveResumeAndCompare("mnist-mlp", "--steps", half: 6, full: 12, ["--eval-every", "0"]);

    [DeviceFact(NeedsShared = true)]
    public void MnistCnnMatchesTheCpuAndResumes() =>
        SaveResumeAndCompare("mnist-cnn", "--steps", half: 3, full: 6, ["--eval-every", "0"]);

    [DeviceFact(NeedsShared = true)]
    public void PtbLstmMatchesTheCpuAndResumes()
    {
        using var data = new TempDir();
        TinyPtbCorpus.Write(data); // 6 batches of the small config: one epoch
        SaveResumeAndCompare("ptb-lstm", "--max-steps", half: 3, full: 6, ["--data", data.Path, "--epochs", "1"]);
    }

    [DeviceFact(NeedsShared = true)]
    public void Word2VecMatchesTheCpuAndResumes() =>
        SaveResumeAndCompare("word2vec", "--steps", half: 100, full: 200,
            ["--vocab-size", "2000", "--embedding-size", "16", "--num-sampled", "8", "--report-every", "100", "--eval-every", "0"]);

    // The CPU trains straight to `full`; the test device trains to `half` (saving there), then resumes to `full`.
    private static void SaveResumeAndCompare(string model, string stepsFlag, int half, int full, string[] options)
    {
        using var dir = new TempDir();
        string onDevice = dir.Combine("device");
        double cpuLoss = Train(model, "cpu", stepsFlag, full, dir.Combine("cpu"), options, dir.Combine("cpu.json"));

        Train(model, TestDevice.Spec, stepsFlag, half, onDevice, [.. options, "--save-every", half.ToString()], dir.Combine("half.json"));
        TfCheck.AssertClean("ckpt", Path.Combine(onDevice, $"model.ckpt-{half}"));
        double deviceLoss = Train(model, TestDevice.Spec, stepsFlag, full, onDevice, [.. options, "--resume"], dir.Combine("device.json"),
            expectInOutput: $"at step {half}");
        TfCheck.AssertClean("ckpt", Path.Combine(onDevice, $"model.ckpt-{full}"));
        TfCheck.AssertClean("state", onDevice);

        Assert.True(Math.Abs(deviceLoss - cpuLoss) <= LossTolerance * Math.Abs(cpuLoss),
            $"{model}: final loss at step {full} on {TestDevice.Spec} {deviceLoss:R}, on cpu {cpuLoss:R} (relative tolerance {LossTolerance})");
    }

    private static double Train(string model, string device, string stepsFlag, int steps, string logdir, string[] options,
        string summary, string? expectInOutput = null)
    {
        var run = CliRunner.Run(["train", model, "--device", device, "--seed", "5", stepsFlag, steps.ToString(),
            "--logdir", logdir, "--summary-json", summary, .. options]);
        Assert.True(run.ExitCode == 0, $"{model} on {device}: exit {run.ExitCode}\n{run.Stdout}{run.Stderr}");
        Assert.Contains($"device: {device}", run.Stdout);
        if (expectInOutput is not null) Assert.Contains(expectInOutput, run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.Equal(steps, json.RootElement.GetProperty("steps").GetInt64());
        return json.RootElement.GetProperty("final_loss").GetDouble();
    }
}
