using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Saving;

public class SaverTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HostVariable<float> _kernel = new("dense/kernel", DataType.DtFloat, [2, 3]);
    private readonly HostVariable<long> _step = new("global_step", DataType.DtInt64, []);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private ICheckpointVariable[] Variables => [_kernel, _step];

    private string[] CheckpointsOnDisk() => Directory.EnumerateFiles(_dir.Path, "*.index")
        .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();

    private void SaveSteps(Saver saver, IEnumerable<int> steps, TimeSpan between)
    {
        foreach (int s in steps)
        {
            _step.Value = s;
            _kernel.Values[0] = s;
            saver.Save(_dir.Combine("model"), s);
            _clock.Advance(between);
        }
    }

    [SharedFact]
    public void Save_writes_prefix_dash_step_and_restores_without_initialisation()
    {
        var saver = new Saver(Variables, clock: _clock);
        float[] values = [1f, -2f, 3.5f, 4f, 5f, 6f];
        values.CopyTo(_kernel.Values, 0);
        _step.Value = 1000;
        string prefix = saver.Save(_dir.Combine("model"), 1000);
        Assert.Equal(_dir.Combine("model-1000"), prefix);
        TfCheck.AssertClean("ckpt", prefix);
        TfCheck.AssertClean("state", _dir.Path);

        var kernel = new HostVariable<float>("dense/kernel", DataType.DtFloat, [2, 3]);
        var step = new HostVariable<long>("global_step", DataType.DtInt64, []);
        Assert.Equal(prefix, new Saver([kernel, step]).RestoreLatest(_dir.Path));
        Assert.Equal(values, kernel.Values);
        Assert.Equal(1000L, step.Value);
    }

    [SharedFact]
    public void Max_to_keep_deletes_every_checkpoint_beyond_it_after_updating_the_state()
    {
        var saver = new Saver(Variables, new SaverOptions { MaxToKeep = 2, NumShards = 2 }, _clock);
        SaveSteps(saver, [1, 2, 3, 4], TimeSpan.FromMinutes(1));
        Assert.Equal(["model-3", "model-4"], CheckpointsOnDisk());
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "model-1.*").Concat(Directory.EnumerateFiles(_dir.Path, "model-2.*")));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*tempstate*"));
        var state = CheckpointStateFile.Read(_dir.Path)!;
        Assert.Equal(["model-3", "model-4"], state.AllModelCheckpointPaths);
        Assert.Equal("model-4", state.ModelCheckpointPath);
        TfCheck.AssertClean("state", _dir.Path);
        TfCheck.AssertClean("ckpt", _dir.Combine("model-4"));
    }

    [Fact]
    public void Max_to_keep_zero_keeps_everything_and_lists_only_the_latest()
    {
        var saver = new Saver(Variables, new SaverOptions { MaxToKeep = 0 }, _clock);
        SaveSteps(saver, [1, 2, 3], TimeSpan.FromMinutes(1));
        Assert.Equal(["model-1", "model-2", "model-3"], CheckpointsOnDisk());
        Assert.Equal(["model-3"], CheckpointStateFile.Read(_dir.Path)!.AllModelCheckpointPaths);
    }

    [SharedFact]
    public void Keep_every_n_hours_preserves_one_checkpoint_per_period()
    {
        // Saves every 20 minutes for 4 hours with max_to_keep 2 and keep-every 1 hour: besides the two
        // newest, the first checkpoint saved after each hour boundary survives.
        var saver = new Saver(Variables, new SaverOptions { MaxToKeep = 2, KeepCheckpointEveryNHours = 1 }, _clock);
        SaveSteps(saver, Enumerable.Range(0, 13), TimeSpan.FromMinutes(20));
        // Times: step s at 20s minutes. Next preserve time starts at 60 min: step 4 (80 min) is the first
        // later than 60, then 120 -> step 7 (140), 180 -> step 10 (200).
        Assert.Equal(["model-10", "model-11", "model-12", "model-4", "model-7"], CheckpointsOnDisk());
        var state = CheckpointStateFile.Read(_dir.Path)!;
        Assert.Equal(["model-11", "model-12"], state.AllModelCheckpointPaths);
        Assert.NotNull(state.LastPreservedTimestamp);
        TfCheck.AssertClean("state", _dir.Path);
    }

    [SharedFact]
    public void Restore_after_moving_the_directory_and_retention_after_restore()
    {
        var first = new Saver(Variables, new SaverOptions { MaxToKeep = 3 }, _clock);
        SaveSteps(first, [10, 20, 30], TimeSpan.FromMinutes(1));

        using var moved = new TempDir();
        foreach (string f in Directory.EnumerateFiles(_dir.Path)) File.Move(f, Path.Combine(moved.Path, Path.GetFileName(f)));

        var kernel = new HostVariable<float>("dense/kernel", DataType.DtFloat, [2, 3]);
        var step = new HostVariable<long>("global_step", DataType.DtInt64, []);
        var resumed = new Saver([kernel, step], new SaverOptions { MaxToKeep = 3 }, _clock);
        Assert.Equal(Path.Combine(moved.Path, "model-30"), resumed.RestoreLatest(moved.Path));
        Assert.Equal(30L, step.Value);
        Assert.Equal(30f, kernel.Values[0]);

        // The resumed saver counts the checkpoints the state file lists: two more saves delete 10 and 20.
        foreach (long s in new[] { 40L, 50L })
        {
            step.Value = s;
            resumed.Save(Path.Combine(moved.Path, "model"), s);
        }
        string[] left = Directory.EnumerateFiles(moved.Path, "*.index").Select(Path.GetFileNameWithoutExtension).Order().ToArray()!;
        Assert.Equal(["model-30", "model-40", "model-50"], left);
        TfCheck.AssertClean("state", moved.Path);
    }

    [SharedFact]
    public void Name_map_subset_pad_step_and_latest_filename()
    {
        var map = new Dictionary<string, ICheckpointVariable> { ["model/w"] = _kernel };
        var saver = new Saver(map, new SaverOptions { PadStepNumber = true, LatestFilename = "latest" }, _clock);
        string prefix = saver.Save(_dir.Combine("ckpt"), 42);
        Assert.Equal(_dir.Combine("ckpt-00000042"), prefix);
        Assert.Equal(["model/w"], TensorBundleReader.Open(prefix).Entries.Select(e => e.Name));
        Assert.False(File.Exists(_dir.Combine("checkpoint")));
        Assert.Equal(prefix, CheckpointStateFile.LatestCheckpoint(_dir.Path, "latest"));
        TfCheck.AssertClean("state", _dir.Combine("latest"));
    }

    [Fact]
    public void Write_state_false_leaves_no_state_file()
    {
        var saver = new Saver(Variables, new SaverOptions { WriteState = false }, _clock);
        saver.Save(_dir.Combine("model"), 1);
        Assert.False(File.Exists(_dir.Combine("checkpoint")));
        Assert.True(File.Exists(_dir.Combine("model-1.index")));
    }
}
