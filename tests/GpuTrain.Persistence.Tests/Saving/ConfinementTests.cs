using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Saving;

/// <summary>
/// A checkpoint folder is a confined unit and its state file only advises: nothing a state file
/// names outside the folder is adopted, restored, rotated or deleted, and the folder's own files
/// decide which checkpoint is the newest.
/// </summary>
public sealed class ConfinementTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly HostVariable<float> _kernel = new("dense/kernel", DataType.DtFloat, [2, 3]);
    private readonly HostVariable<long> _step = new("global_step", DataType.DtInt64, []);

    public void Dispose() => _root.Dispose();

    private string Run => _root.Combine("run");

    private string Victim => _root.Combine("victim");

    private Saver NewSaver(int maxToKeep = 2, string? restoreFrom = null) =>
        new([_kernel, _step], new SaverOptions { MaxToKeep = maxToKeep, RestoreFrom = restoreFrom });

    private void SaveSteps(Saver saver, string folder, params int[] steps)
    {
        foreach (int s in steps)
        {
            _step.Value = s;
            Array.Fill(_kernel.Values, s);
            saver.Save(Path.Combine(folder, "model"), s);
        }
    }

    private static string[] Checkpoints(string folder) => Directory.EnumerateFiles(folder, "*.index")
        .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    private void WriteState(string latest, params string[] all) =>
        CheckpointStateFile.Write(Run, new CheckpointState { ModelCheckpointPath = latest, AllModelCheckpointPaths = all });

    [SharedFact]
    public void EntriesOutsideTheFolderAreIgnoredWithAWarningAndNeverDeleted()
    {
        SaveSteps(NewSaver(maxToKeep: 0), Victim, 30, 40);
        var victimFiles = Directory.GetFiles(Victim).Order().Select(f => f + ":" + Convert.ToHexString(File.ReadAllBytes(f))).ToList();
        SaveSteps(NewSaver(), Run, 10, 20);
        WriteState("../victim/model-40", "../victim/model-30", Path.Combine(Victim, "model-40"), "model-10", "model-20");

        var reports = new List<string>();
        string? restored = NewSaver().RestoreNewestIntact(Run, reports.Add);
        Assert.Equal(Path.Combine(Run, "model-20"), restored);
        Assert.Equal(20L, _step.Value);
        Assert.Equal(3, reports.Count(r => r.Contains("outside") && r.Contains("ignored")));

        // Rotation after the restore counts only the run's own checkpoints and deletes only them.
        var saver = NewSaver();
        saver.RestoreNewestIntact(Run, _ => { });
        SaveSteps(saver, Run, 21, 22, 23);
        Assert.Equal(["model-22", "model-23"], Checkpoints(Run));
        Assert.Equal(victimFiles, Directory.GetFiles(Victim).Order().Select(f => f + ":" + Convert.ToHexString(File.ReadAllBytes(f))).ToList());
        Assert.Equal(["model-22", "model-23"], CheckpointStateFile.Read(Run)!.AllModelCheckpointPaths);
        TfCheck.AssertClean("state", Run);
    }

    [Fact]
    public void AnAbsoluteEntryFromAMovedFolderIsTheFileOfTheSameNameInside()
    {
        SaveSteps(NewSaver(maxToKeep: 3), Run, 1, 2, 3);
        // TF1 wrote absolute paths; the folder has since moved from /old/place.
        WriteState("/old/place/model-3", "/old/place/model-1", "/old/place/model-2", "/old/place/model-3");

        var saver = NewSaver(maxToKeep: 3);
        var reports = new List<string>();
        Assert.Equal(Path.Combine(Run, "model-3"), saver.RestoreNewestIntact(Run, reports.Add));
        Assert.Empty(reports);
        SaveSteps(saver, Run, 4);
        Assert.Equal(["model-2", "model-3", "model-4"], Checkpoints(Run)); // model-1 rotated away as the state file's own
    }

    [Fact]
    public void AStateFileNamingAnOlderCheckpointIsReportedAndTheNewestIsRestored()
    {
        SaveSteps(NewSaver(maxToKeep: 5), Run, 1, 2, 3, 4);
        WriteState("model-2", "model-1", "model-2");

        var reports = new List<string>();
        var saver = NewSaver(maxToKeep: 3);
        Assert.Equal(Path.Combine(Run, "model-4"), saver.RestoreNewestIntact(Run, reports.Add));
        Assert.Equal(4L, _step.Value);
        Assert.Contains(reports, r => r.Contains("model-2 as the latest") && r.Contains("newest is " + Path.Combine(Run, "model-4")));
        Assert.Equal(Path.Combine(Run, "model-4"), CheckpointStateFile.LatestCheckpoint(Run));

        // The stale list does not keep 3 and 4 out of rotation: max_to_keep 3 holds after the next save.
        SaveSteps(saver, Run, 5);
        Assert.Equal(["model-3", "model-4", "model-5"], Checkpoints(Run));
        Assert.Equal(["model-3", "model-4", "model-5"], CheckpointStateFile.Read(Run)!.AllModelCheckpointPaths);
    }

    [SharedFact]
    public void ACorruptStateFileNeitherHidesTheNewestNorBlocksRotationAndIsRewritten()
    {
        SaveSteps(NewSaver(maxToKeep: 0), Run, 1, 2, 3, 4, 5);
        File.WriteAllBytes(Path.Combine(Run, "checkpoint"), [0xff, 0x00, 0x22, 0x6d]);

        var saver = NewSaver(maxToKeep: 3);
        Assert.Equal(Path.Combine(Run, "model-5"), saver.RestoreNewestIntact(Run, _ => { }));
        SaveSteps(saver, Run, 6);
        Assert.Equal(["model-4", "model-5", "model-6"], Checkpoints(Run));
        var state = CheckpointStateFile.Read(Run)!;
        Assert.Equal("model-6", state.ModelCheckpointPath);
        Assert.Equal(["model-4", "model-5", "model-6"], state.AllModelCheckpointPaths);
        TfCheck.AssertClean("state", Run);
    }

    [Fact]
    public void CheckpointsNewerThanTheOneRestoredAreNeverOverwrittenOrDeleted()
    {
        SaveSteps(NewSaver(maxToKeep: 5), Run, 1, 2, 3);
        string damaged = BundleNaming.DataFile(Path.Combine(Run, "model-3"), 0, 1);
        byte[] bytes = File.ReadAllBytes(damaged);
        bytes[4] ^= 0x10;
        File.WriteAllBytes(damaged, bytes);

        var saver = NewSaver(maxToKeep: 1);
        Assert.Equal(Path.Combine(Run, "model-2"), saver.RestoreNewestIntact(Run, _ => { }));
        _step.Value = 3;
        var refused = Assert.Throws<IOException>(() => saver.Save(Path.Combine(Run, "model"), 3));
        Assert.Contains("kept, not overwritten", refused.Message);
        SaveSteps(saver, Run, 4, 5);
        Assert.Equal(["model-3", "model-5"], Checkpoints(Run)); // max_to_keep 1 rotated 2 and 4, never the damaged 3
        Assert.Equal(bytes, File.ReadAllBytes(damaged));
    }

    [Fact]
    public void RestoreFromBranchesFromTheNamedCheckpoint()
    {
        SaveSteps(NewSaver(maxToKeep: 5), Run, 1, 2, 3);
        var saver = NewSaver(restoreFrom: Path.Combine(Run, "model-1.index"));
        Assert.Equal(Path.Combine(Run, "model-1"), saver.RestoreNewestIntact(Run, _ => { }));
        Assert.Equal(1L, _step.Value);
        Assert.All(_kernel.Values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void ReadersTakeTheFolderNewestAndNeverFollowTheStateFileOutside()
    {
        SaveSteps(NewSaver(), Victim, 99);
        SaveSteps(NewSaver(), Run, 5);
        WriteState(Path.Combine(Victim, "model-99"), Path.Combine(Victim, "model-99"));
        Assert.Equal(Path.Combine(Run, "model-5"), CheckpointStateFile.LatestCheckpoint(Run));
    }
}
