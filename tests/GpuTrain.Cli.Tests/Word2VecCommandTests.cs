using System.Text.Json;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

public sealed class Word2VecCommandTests
{
    [SharedFact]
    public void TrainsOnTheBundledCorpusWritesProjectorFilesAndCheckerCleanCheckpointsAndAnswersSimilar()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        string summary = dir.Combine("summary.json");

        var train = CliRunner.Run(["train", "word2vec", "--device", "cpu", "--vocab-size", "2000", "--embedding-size", "16",
            "--num-sampled", "8", "--steps", "600", "--report-every", "100", "--eval-every", "0", "--save-every", "300", "--histogram-every", "200",
            "--probes", "three", "--logdir", run, "--summary-json", summary]);
        Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
        Assert.Contains("Nearest to three:", train.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-600"));
        TfCheck.AssertClean("state", run);
        TfCheck.AssertClean("events", run);
        string events = TfCheck.Run("events", run).Output;
        Assert.Contains("graph_def", events);
        Assert.Contains("embeddings=3,", events); // histograms at steps 200, 400 and 600
        Assert.Contains("nce_biases=3,", events);
        var metadata = File.ReadAllLines(Path.Combine(run, "metadata.tsv"));
        Assert.Equal(2000, metadata.Length);
        Assert.Equal(["UNK", "the"], metadata[..2]);
        string config = File.ReadAllText(Path.Combine(run, "projector_config.pbtxt"));
        Assert.Contains("tensor_name: \"embeddings\"", config);
        Assert.Contains("metadata_path: \"metadata.tsv\"", config);
        using (var json = JsonDocument.Parse(File.ReadAllText(summary)))
        {
            double first = json.RootElement.GetProperty("first_average_loss").GetDouble();
            double last = json.RootElement.GetProperty("average_loss").GetDouble();
            Assert.True(last < 0.7 * first, $"average loss {first} -> {last}");
            var reports = json.RootElement.GetProperty("reports").EnumerateArray().ToArray();
            Assert.Equal([100L, 200L, 300L, 400L, 500L, 600L], reports.Select(r => r.GetProperty("step").GetInt64()));
            Assert.All(reports, r => Assert.Equal(100, r.GetProperty("steps").GetInt32()));
            Assert.Equal(first, reports[0].GetProperty("loss").GetDouble());
            Assert.Equal(last, reports[^1].GetProperty("loss").GetDouble());
        }

        var similar = CliRunner.Run(["similar", "--checkpoint", run, "--top", "3", "three"]);
        Assert.True(similar.ExitCode == 0, similar.Stdout + similar.Stderr);
        Assert.StartsWith("three: ", similar.Stdout);
        Assert.Equal(3, similar.Stdout.Split(',').Length);

        var unknown = CliRunner.Run(["similar", "--checkpoint", Path.Combine(run, "model.ckpt-600"), "xyzzy"]);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("xyzzy", unknown.Stderr);

        var resumed = CliRunner.Run(["train", "word2vec", "--device", "cpu", "--vocab-size", "2000", "--embedding-size", "16",
            "--num-sampled", "8", "--steps", "700", "--eval-every", "0", "--logdir", run, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("at step 600", resumed.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-700"));
    }

    [Theory]
    [InlineData("--num-skips 3", "--num-skips: context words per centre word must be in [1, 2 * skip window = 2]; got 3")]
    [InlineData("--embedding-size 0", "--embedding-size: embedding size must be positive; got 0")]
    [InlineData("--num-sampled 0", "--num-sampled: candidates per step must be in [1, vocabulary size 500]; got 0")]
    public void ALibraryErrorIsReportedUnderTheFlagThatSetIt(string options, string message)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["train", "word2vec", "--device", "cpu", "--vocab-size", "500", "--steps", "5",
            "--logdir", dir.Combine("run"), .. options.Split(' ')]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: " + message, result.Stderr);
    }
}
