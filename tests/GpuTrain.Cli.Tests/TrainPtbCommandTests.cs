using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// <c>gputrain train ptb-lstm</c> on a small, learnable corpus in PTB format: it reports valid and
/// test perplexity, the perplexity falls from epoch to epoch, checkpoints (with the data cursor and
/// the carried state) and events pass the checker, and a resumed run continues from the checkpoint.
/// </summary>
public sealed class TrainPtbCommandTests
{
    [SharedFact]
    public void TrainsReportsPerplexityWritesCleanCheckpointsAndResumes()
    {
        using var dir = new TempDir();
        TinyPtbCorpus.Write(dir);
        string run = dir.Combine("run"), summary = dir.Combine("summary.json");
        var first = CliRunner.Run(["train", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--epochs", "4",
            "--save-every", "4", "--histogram-every", "12", "--logdir", run, "--summary-json", summary]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("6 batches per epoch", first.Stdout);
        Assert.Contains("test perplexity", first.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-20")); // mid-epoch: a non-zero carried state
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-24"));
        TfCheck.AssertClean("state", run);
        TfCheck.AssertClean("events", run);
        string events = TfCheck.Run("events", run).Output;
        Assert.Contains("graph_def", events);
        Assert.Contains("Model/softmax_w=2,", events); // histograms at steps 12 and 24
        Assert.Contains("Model/softmax_w/gradient=2", events);
        double lastValid, test;
        using (var json = JsonDocument.Parse(File.ReadAllText(summary)))
        {
            Assert.Equal(24, json.RootElement.GetProperty("steps").GetInt64());
            var valid = json.RootElement.GetProperty("valid_perplexities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(4, valid.Length);
            // 15 words in the vocabulary (with <eos>): chance is 15; four epochs on a repetitive corpus beat it by far.
            Assert.True(valid[3] < valid[0] && valid[3] < 8, $"valid perplexities {string.Join(", ", valid)}");
            (lastValid, test) = (valid[3], json.RootElement.GetProperty("test_perplexity").GetDouble());
        }

        // The trained model, restored by eval, gives the perplexities the run reported.
        var eval = CliRunner.Run(["eval", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--checkpoint", Path.Combine(run, "model.ckpt-24")]);
        Assert.True(eval.ExitCode == 0, eval.Stdout + eval.Stderr);
        Assert.Contains(FormattableString.Invariant($"valid perplexity {lastValid:F3}"), eval.Stdout);
        Assert.Contains(FormattableString.Invariant($"test perplexity {test:F3}"), eval.Stdout);
        var wrongConfig = CliRunner.Run(["eval", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--config", "medium", "--checkpoint", run]);
        Assert.NotEqual(0, wrongConfig.ExitCode);
        Assert.Contains("but variable 'Model/", wrongConfig.Stderr); // a shape mismatch, named

        var refused = CliRunner.Run(["train", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--epochs", "5", "--logdir", run]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--resume", refused.Stderr);

        var resumed = CliRunner.Run(["train", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--max-steps", "27",
            "--logdir", run, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("at step 24", resumed.Stdout);
        Assert.Contains("epoch 5: learning rate 0.5", resumed.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-27"));
    }

    [Fact]
    public void AMissingDataFolderIsAClearError()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["train", "ptb-lstm", "--device", "cpu", "--data", dir.Combine("missing"), "--logdir", dir.Combine("run")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
        Assert.Contains("missing", result.Stderr);
    }
}
