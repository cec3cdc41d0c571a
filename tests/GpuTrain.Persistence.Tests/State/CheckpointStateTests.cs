using System.Text.RegularExpressions;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.State;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.State;

public class CheckpointStateTests
{
    public static TheoryData<string> StateFiles() => new(FixtureFiles.StateFiles());

    [SharedTheory]
    [MemberData(nameof(StateFiles))]
    public void Every_fixture_state_file_parses_as_the_checker_reads_it(string path)
    {
        var state = CheckpointStateFile.Read(Path.GetDirectoryName(path)!)!;
        string output = TfCheck.Run("state", path).Output;
        Assert.Equal(Regex.Match(output, @"model_checkpoint_path: '([^']*)'").Groups[1].Value, state.ModelCheckpointPath);
        var listed = Regex.Matches(output, @"all_model_checkpoint_paths\[\d+\]: '([^']*)'").Select(m => m.Groups[1].Value);
        Assert.Equal(listed, state.AllModelCheckpointPaths);
    }

    [SharedFact]
    public void Latest_checkpoint_of_the_estimator_fixture_is_joined_with_its_directory()
    {
        string dir = SharedDir.Combine("fixtures", "tf", "yhgui-estimator", "model");
        Assert.Equal(Path.Combine(dir, "model.ckpt-2000"), CheckpointStateFile.LatestCheckpoint(dir));
    }

    [SharedFact]
    public void A_state_file_naming_a_missing_checkpoint_is_a_clear_error()
    {
        string dir = SharedDir.Combine("fixtures", "tf", "tensorflow-serving", "bad_half_plus_two");
        var e = Assert.Throws<FileNotFoundException>(() => CheckpointStateFile.LatestCheckpoint(dir));
        Assert.Contains("/tmp/bad_half_plus_two/00000123/export", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [SharedFact]
    public void A_moved_directory_still_resolves_and_reads()
    {
        using var tmp = new TempDir();
        string source = SharedDir.Combine("fixtures", "tf", "yhgui-estimator", "model");
        foreach (string f in Directory.EnumerateFiles(source).Where(f => !f.Contains("tfevents")))
            File.Copy(f, tmp.Combine(Path.GetFileName(f)));
        string latest = CheckpointStateFile.LatestCheckpoint(tmp.Path)!;
        Assert.Equal(tmp.Combine("model.ckpt-2000"), latest);
        Assert.Equal([2000L], TensorBundleReader.Open(latest).Read("global_step").ToArray<long>());
    }

    [SharedFact]
    public void Written_state_round_trips_and_passes_the_checker()
    {
        using var dir = new TempDir();
        string[] names = ["model-1", "with \"quote\" and \\ and ümlaut", "model-3"];
        foreach (string n in names)
            TensorBundleWriter.Write(dir.Combine(n), [BundleTensor.FromValues<float>("x", DataType.DtFloat, [], [1f])]);
        var state = new CheckpointState
        {
            ModelCheckpointPath = "model-3",
            AllModelCheckpointPaths = names,
            AllModelCheckpointTimestamps = [1763900000.125, 1763900060.5, 1763900120.75],
            LastPreservedTimestamp = 1763800000.0625,
        };
        CheckpointStateFile.Write(dir.Path, state);

        var back = CheckpointStateFile.Read(dir.Path)!;
        Assert.Equal(state.ModelCheckpointPath, back.ModelCheckpointPath);
        Assert.Equal(state.AllModelCheckpointPaths, back.AllModelCheckpointPaths);
        Assert.Equal(state.AllModelCheckpointTimestamps, back.AllModelCheckpointTimestamps);
        Assert.Equal(state.LastPreservedTimestamp, back.LastPreservedTimestamp);
        var check = TfCheck.Run("state", dir.Path);
        Assert.True(check.Clean, check.Output);
        Assert.Contains(names[1], check.Output.Replace("\\\\", "\\"));
    }

    [Theory]
    [InlineData("model_checkpoint_path: \"a\"\nfoo: 1\n", "unknown field 'foo'")]
    [InlineData("all_model_checkpoint_paths: \"a\"\n", "model_checkpoint_path is missing")]
    [InlineData("model_checkpoint_path: \"a\n", "unterminated string")]
    [InlineData("model_checkpoint_path \"a\"\n", "expected ':'")]
    [InlineData("model_checkpoint_path: \"a\"\nall_model_checkpoint_paths: \"a\"\nall_model_checkpoint_timestamps: 1\nall_model_checkpoint_timestamps: 2\n", "2 timestamps for 1")]
    [InlineData("model_checkpoint_path: \"a\"\nlast_preserved_timestamp: x\n", "bad number")]
    public void Malformed_state_text_names_the_problem(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => CheckpointStateText.Parse(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Corrupt_state_file_is_invalid_data_naming_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("checkpoint"), "garbage here");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointStateFile.LatestCheckpoint(dir.Path));
        Assert.Contains(dir.Combine("checkpoint"), e.Message);
    }

    [Fact]
    public void No_state_file_means_no_latest_checkpoint()
    {
        using var dir = new TempDir();
        Assert.Null(CheckpointStateFile.LatestCheckpoint(dir.Path));
    }

    [Fact]
    public void Escapes_and_comments_parse_like_text_format()
    {
        var state = CheckpointStateText.Parse("# comment\nmodel_checkpoint_path: 'a\\tb\\303\\274' \"c\\x41\"\n");
        Assert.Equal("a\tbüc" + "A", state.ModelCheckpointPath);
    }
}
