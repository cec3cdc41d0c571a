using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Reading;
using GpuTrain.Logging.Writing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

public class SummaryWriterTests
{
    [Fact]
    public void FileNameAndFirstEventFollowTensorBoard()
    {
        using var dir = new TempDir();
        using var w = new SummaryWriter(dir.Path);
        string name = Path.GetFileName(w.FilePath);
        Assert.Matches(@"^events\.out\.tfevents\.\d{10}\." + System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)
                       + @"\." + Environment.ProcessId + @"\.\d+$", name);
        w.Flush();
        var first = Assert.Single(TestEvents.ReadAll(w.FilePath));
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.Equal(Math.Floor(first.WallTime), first.WallTime);
        Assert.InRange(first.WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public void FlushMakesEverythingLoggedSoFarReadableWhileTheWriterIsOpen()
    {
        using var dir = new TempDir();
        using var w = new SummaryWriter(dir.Path, new SummaryWriterOptions { FlushInterval = TimeSpan.FromHours(1) });
        w.Scalar("loss", 2.5f, 7);
        w.Text("note", "hi", 7);
        w.Flush();
        var events = TestEvents.ReadAll(w.FilePath);
        Assert.Equal(3, events.Count);
        Assert.Equal(2.5f, TestEvents.OnlyValue(events[1]).SimpleValue);
        Assert.Equal(7, events[1].Step);
        var text = TestEvents.OnlyValue(events[2]);
        Assert.Equal("text", text.Metadata.PluginData.PluginName);
        Assert.Equal(DataType.DtString, text.Tensor.Dtype);
        Assert.Equal("hi", text.Tensor.StringVal[0].ToStringUtf8());
    }

    [Fact]
    public void WritesTwoWritersInOneFolderToTwoFiles()
    {
        using var dir = new TempDir();
        using var a = new SummaryWriter(dir.Path);
        using var b = new SummaryWriter(dir.Path);
        Assert.NotEqual(a.FilePath, b.FilePath);
    }

    [Fact]
    public void ImageEventCarriesSizeColorspaceAndPng()
    {
        using var dir = new TempDir();
        using (var w = new SummaryWriter(dir.Path)) w.Image("digit", new byte[4 * 3 * 3], 4, 3, 3, 5);
        var image = TestEvents.OnlyValue(TestEvents.ReadAll(TestEvents.OnlyFile(dir.Path))[1]).Image;
        Assert.Equal((4, 3, 3), (image.Height, image.Width, image.Colorspace));
        Assert.Equal(0x89, image.EncodedImageString[0]);
    }

    [Fact]
    public void BadArgumentsFailOnTheCallingThread()
    {
        using var dir = new TempDir();
        using var w = new SummaryWriter(dir.Path);
        Assert.Throws<ArgumentException>(() => w.Scalar("", 1f, 0));
        Assert.Throws<ArgumentException>(() => w.Histogram("h", [float.PositiveInfinity], 0));
        Assert.Throws<ArgumentException>(() => w.Image("i", new byte[5], 2, 2, 1, 0));
    }

    [Fact]
    public void LoggingAfterDisposeThrows()
    {
        using var dir = new TempDir();
        var w = new SummaryWriter(dir.Path);
        w.Dispose();
        Assert.Throws<ObjectDisposedException>(() => w.Scalar("loss", 1f, 0));
    }

    [Fact]
    public void ResumeStartPurgesStalePointsAsTensorBoardDoes()
    {
        using var dir = new TempDir();
        using (var first = new SummaryWriter(dir.Path))
        {
            first.Start(0);
            for (int step = 0; step < 10; step++) first.Scalar("loss", 100 + step, step);  // crashed after step 9, checkpoint at 6
        }
        using (var resumed = new SummaryWriter(dir.Path))
        {
            resumed.Start(6);
            for (int step = 6; step < 12; step++) resumed.Scalar("loss", step, step);
        }
        var files = EventFileName.Find(dir.Path);
        Assert.Equal(2, files.Count);
        var start = Assert.Single(TestEvents.ReadAll(files[1]), e => e.WhatCase == Event.WhatOneofCase.SessionLog);
        Assert.Equal(SessionLog.Types.SessionStatus.Start, start.SessionLog.Status);
        Assert.Equal(6, start.Step);

        var points = ScalarLog.Load(dir.Path, "loss");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), points.Select(p => p.Step));
        Assert.Equal([100, 101, 102, 103, 104, 105, 6, 7, 8, 9, 10, 11], points.Select(p => p.Value));
    }

    [Fact]
    public void RestartPurgesOnlyItsOwnRun()
    {
        using var dir = new TempDir();
        using (var train = new SummaryWriter(dir.Combine("train")))
            for (int step = 0; step < 5; step++) train.Scalar("loss", step, step);
        using (var validation = new SummaryWriter(dir.Combine("validation")))
        {
            validation.Start(0);  // a fresh run's START must not purge train/
            validation.Scalar("loss", 9, 4);
        }
        var points = ScalarLog.Load(dir.Path);
        Assert.Equal(["train/loss", "train/loss", "train/loss", "train/loss", "train/loss", "validation/loss"], points.Select(p => p.RunAndTag));
        Assert.Equal("", Assert.Single(ScalarLog.Load(dir.Combine("validation"))).Run);
    }
}
