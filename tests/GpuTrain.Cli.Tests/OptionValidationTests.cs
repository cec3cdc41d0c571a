using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>Bad options are refused with one line naming the flag, before any data is loaded or any step trained.</summary>
public sealed class OptionValidationTests
{
    [Theory]
    [InlineData("--shards 0", "--shards must be between 1 and 99999")]
    [InlineData("--shards 100000", "--shards must be between 1 and 99999")]
    [InlineData("--max-to-keep -2", "--max-to-keep must not be negative")]
    [InlineData("--keep-every-hours -1", "--keep-every-hours must be a non-negative number of hours")]
    [InlineData("--keep-every-hours NaN", "--keep-every-hours must be a non-negative number of hours")]
    public void AnOutOfRangeValueIsRefusedBeforeAnyWork(string options, string message)
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        var result = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "5", "--logdir", run, .. options.Split(' ')]);

        AssertRefusedAtStart(result, message);
        Assert.False(Directory.Exists(run)); // nothing was created
    }

    [Fact]
    public void ACheckpointDirThatIsAFileAndASummaryJsonThatIsAFolderAreRefusedAtStart()
    {
        using var dir = new TempDir();
        string file = dir.Combine("a-file");
        File.WriteAllText(file, "not a folder");

        AssertRefusedAtStart(
            CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "5", "--checkpoint-dir", file, "--logdir", dir.Combine("logs")]),
            $"--checkpoint-dir '{file}' is a file, not a folder");
        AssertRefusedAtStart(
            CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "5", "--logdir", dir.Combine("run"), "--summary-json", dir.Path]),
            $"--summary-json '{dir.Path}' is a folder");
        AssertRefusedAtStart(
            CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "5", "--logdir", dir.Combine("run"), "--summary-json", dir.Combine("no", "such", "s.json")]),
            "--summary-json");
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void AnUnknownModelIsOneLineListingTheModels()
    {
        var result = CliRunner.Run(["train", "foo-net"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: unknown model 'foo-net'; choose one of: mnist-cnn, mnist-mlp, ptb-lstm, word2vec", result.Stderr.Trim());
    }

    [Fact]
    public void MoreShardsThanTensorsNamesTheFlagBeforeTheFirstStep()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "5", "--logdir", dir.Combine("run"), "--shards", "500"]);

        Assert.Equal(1, result.ExitCode);
        // mnist-mlp: 6 parameters, 12 Adam slots, 2 beta powers, the global step and 3 cursor values.
        Assert.Contains("error: --shards: a checkpoint of 24 tensors takes 1 to 24 shards; got 500", result.Stderr);
        Assert.DoesNotContain("step ", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void AProbeWordOutsideTheVocabularyIsRefusedBeforeTraining()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["train", "word2vec", "--device", "cpu", "--steps", "5", "--vocab-size", "500",
            "--logdir", dir.Combine("run"), "--probes", "three,qqqxyzzy"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: --probes: 'qqqxyzzy' is not in the vocabulary (500 most frequent words", result.Stderr);
        Assert.DoesNotContain("device:", result.Stdout);
    }

    [Fact]
    public void ASeedGivenWithResumeIsReportedAsAppliedToTheDrawsToCome()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        var first = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "2", "--eval-every", "0", "--histogram-every", "0", "--logdir", run]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);

        var resumed = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "4", "--eval-every", "0", "--histogram-every", "0",
            "--logdir", run, "--resume", "--seed", "7"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("resume: --seed 7 applies to the random draws from step 2 on", resumed.Stdout);

        var plain = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", "6", "--eval-every", "0", "--histogram-every", "0",
            "--logdir", run, "--resume"]);
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);
        Assert.DoesNotContain("--seed", plain.Stdout);
    }

    [Fact]
    public void ALibraryErrorNoFlagSetsIsOneLineWithoutDotNetsParameterSuffix()
    {
        using var dir = new TempDir();
        TinyPtbCorpus.Write(dir);
        File.WriteAllText(dir.Combine("ptb.valid.txt"), " the cat sat \n"); // too few words for one batch of 20 x 20
        var result = CliRunner.Run(["train", "ptb-lstm", "--device", "cpu", "--data", dir.Path, "--logdir", dir.Combine("run")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: valid has 4 words, too few for one batch of 20 x 20: decrease batch_size or num_steps", result.Stderr.Trim());
    }

    private static void AssertRefusedAtStart(CliRunner.Result result, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: " + message, result.Stderr);
        Assert.DoesNotContain("device:", result.Stdout); // refused before the device, the data and the first step
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
