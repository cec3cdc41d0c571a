using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Saving;

/// <summary>Background saves and falling back to the newest intact checkpoint when the latest is damaged.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HostVariable<float> _kernel = new("dense/kernel", DataType.DtFloat, [4, 8]);
    private readonly HostVariable<long> _step = new("global_step", DataType.DtInt64, []);

    public void Dispose() => _dir.Dispose();

    private Saver NewSaver() => new([_kernel, _step], new SaverOptions { MaxToKeep = 5 });

    private void SaveSteps(Saver saver, params int[] steps)
    {
        foreach (int s in steps)
        {
            _step.Value = s;
            Array.Fill(_kernel.Values, s);
            saver.Save(_dir.Combine("model"), s);
        }
    }

    [Fact]
    public void ABackgroundSaveWritesTheStagedValuesAndReportsItsOutcomeOnce()
    {
        using var background = new BackgroundSaver(NewSaver());
        Assert.Null(background.Wait());
        _step.Value = 7;
        Array.Fill(_kernel.Values, 2.5f);
        background.Start(_dir.Combine("model"), 7);
        Assert.Throws<InvalidOperationException>(() => background.Start(_dir.Combine("model"), 8));
        var outcome = background.Wait();
        Assert.NotNull(outcome);
        Assert.True(outcome.Succeeded);
        Assert.Equal(_dir.Combine("model-7"), outcome.Prefix);
        Assert.Equal(4 * 8 * 4 + 8, outcome.Bytes);
        Assert.Null(background.Wait());
        var reader = TensorBundleReader.Open(outcome.Prefix!);
        Assert.Equal(Enumerable.Repeat(2.5f, 32), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(reader.Read("dense/kernel").Data).ToArray());
    }

    [Fact]
    public void AFailedBackgroundSaveIsReportedWithTheCheckpointNameAndLeavesNoFilesBehind()
    {
        var saver = NewSaver();
        SaveSteps(saver, 1);
        using var background = new BackgroundSaver(saver);
        // A plain file where the checkpoint folder should be: every write into it fails.
        string blocked = _dir.Combine("blocked");
        File.WriteAllText(blocked, "not a folder");
        background.Start(Path.Combine(blocked, "model"), 2);
        var outcome = background.Wait()!;
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.Prefix);
        Assert.IsType<IOException>(outcome.Error, exactMatch: false);
        Assert.Contains("model-2 was not saved", outcome.Error!.Message);
        // The earlier checkpoint is still the latest and restores.
        Array.Fill(_kernel.Values, -1f);
        Assert.Equal(_dir.Combine("model-1"), NewSaver().RestoreLatest(_dir.Path));
        Assert.All(_kernel.Values, v => Assert.Equal(1f, v));
    }

    [Theory]
    [InlineData("truncated-data")]
    [InlineData("missing-index")]
    [InlineData("flipped-byte")]
    public void RestoreFallsBackToTheNewestIntactCheckpointAndSaysWhy(string damage)
    {
        SaveSteps(NewSaver(), 1, 2, 3);
        string latest = _dir.Combine("model-3");
        string data = BundleNaming.DataFile(latest, 0, 1);
        switch (damage)
        {
            case "truncated-data":
                File.WriteAllBytes(data, File.ReadAllBytes(data)[..40]);
                break;
            case "missing-index":
                File.Delete(BundleNaming.IndexFile(latest));
                break;
            default:
                var bytes = File.ReadAllBytes(data);
                bytes[10] ^= 0x40;
                File.WriteAllBytes(data, bytes);
                break;
        }
        var reports = new List<string>();
        Array.Fill(_kernel.Values, -1f);
        string? restored = NewSaver().RestoreNewestIntact(_dir.Path, reports.Add);
        Assert.Equal(_dir.Combine("model-2"), restored);
        Assert.Equal(2L, _step.Value);
        Assert.All(_kernel.Values, v => Assert.Equal(2f, v));
        // A missing index means no checkpoint 3 at all (the state file's mention is reported); a damaged one is skipped and named.
        Assert.Contains(reports, r => r.Contains("model-3") && r.Contains(damage == "missing-index" ? "the folder's newest is" : "trying an older one"));
    }

    [Fact]
    public void ACorruptStateFileNeverHidesTheNewestCheckpoint()
    {
        SaveSteps(NewSaver(), 1, 2);
        File.WriteAllText(_dir.Combine("checkpoint"), "model_checkpoint_path: \"unterminated");
        var reports = new List<string>();
        string? restored = NewSaver().RestoreNewestIntact(_dir.Path, reports.Add);
        Assert.Equal(_dir.Combine("model-2"), restored);
        Assert.Equal(2L, _step.Value);
        Assert.Contains(reports, r => r.Contains("not a valid checkpoint state file"));
        Assert.DoesNotContain(reports, r => r.Contains("cannot be restored"));
    }

    [Fact]
    public void WhenNoCheckpointCanBeRestoredTheErrorSaysSoAndAnEmptyFolderIsNotAnError()
    {
        Assert.Null(NewSaver().RestoreNewestIntact(_dir.Path, _ => { }));
        SaveSteps(NewSaver(), 1);
        File.Delete(BundleNaming.DataFile(_dir.Combine("model-1"), 0, 1));
        var e = Assert.Throws<InvalidDataException>(() => NewSaver().RestoreNewestIntact(_dir.Path, _ => { }));
        Assert.Contains("none of the 1 checkpoints", e.Message);
    }
}
