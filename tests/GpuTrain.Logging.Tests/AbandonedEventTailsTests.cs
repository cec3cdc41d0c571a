using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

public sealed class AbandonedEventTailsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteEvents(string folder, int count)
    {
        using var file = new EventFileWriter(folder);
        for (int step = 0; step < count; step++) file.Write(SummaryEvents.Scalar("loss", step, step, 1e9));
        return file.Path;
    }

    [SharedFact]
    public void AKilledWritersHalfRecordIsCutBackToTheLastWholeOneAndALiveWritersFileIsLeftAlone()
    {
        string killed = WriteEvents(_dir.Combine("a"), 10);
        byte[] whole = File.ReadAllBytes(killed);
        File.WriteAllBytes(killed, whole[..^7]); // the last record lost its last 7 bytes
        string live = WriteEvents(_dir.Combine("b"), 10);
        File.WriteAllBytes(live, File.ReadAllBytes(live)[..^7]);
        long liveLength = new FileInfo(live).Length;
        var reports = new List<string>();

        using (new FileStream(live, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) // its writer still holds it
        {
            AbandonedEventTails.Cut(_dir.Combine("a"), reports.Add);
            AbandonedEventTails.Cut(_dir.Combine("b"), reports.Add);
        }

        Assert.Equal(10, TestEvents.ReadAll(killed).Count); // file_version and 9 of the 10 scalars
        TfCheck.AssertClean("events", killed);
        Assert.Contains($"cut the incomplete last record off {killed}", Assert.Single(reports));
        Assert.Equal(liveLength, new FileInfo(live).Length);
    }

    [Fact]
    public void AFileDamagedBeforeItsEndIsNotCut()
    {
        string path = WriteEvents(_dir.Path, 10);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[2] ^= 0x40; // the first record's length: its CRC no longer matches
        File.WriteAllBytes(path, bytes[..^3]);
        var reports = new List<string>();
        AbandonedEventTails.Cut(_dir.Path, reports.Add);
        Assert.Empty(reports);
        Assert.Equal(bytes.Length - 3, new FileInfo(path).Length);
    }
}
