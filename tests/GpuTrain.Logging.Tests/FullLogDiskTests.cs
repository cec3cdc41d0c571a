using System.Collections.Concurrent;
using GpuTrain.Logging.Reading;
using GpuTrain.Logging.Writing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>A full log disk (a real small tmpfs) never stops the caller: reported once, paused, resumed, and the file stays readable.</summary>
public sealed class FullLogDiskTests
{
    [TinyFilesystemFact]
    public void AFullLogDiskIsReportedOnceLoggingResumesWhenThereIsRoomAndTheFileStaysClean()
    {
        using var disk = new TinyFilesystem(64);
        string filler = Path.Combine(disk.Path, "filler");
        File.WriteAllBytes(filler, new byte[32 * 1024]);
        var reports = new ConcurrentQueue<string>();
        var options = new SummaryWriterOptions { FlushInterval = TimeSpan.FromMilliseconds(50), RetryInterval = TimeSpan.FromMilliseconds(100), Report = reports.Enqueue };
        float[] values = Enumerable.Range(0, 2000).Select(i => MathF.Sin(i)).ToArray();
        string path;
        int step = 0;
        EventWriterStats stats;
        using (var writer = new SummaryWriter(disk.Path, options))
        {
            path = writer.FilePath;
            while (reports.IsEmpty && step < 5000)
            {
                writer.Histogram("h", values, step);
                writer.Scalar("loss", step, step);
                writer.Flush(); // never throws: the failure is reported, not raised
                step++;
            }
            Assert.Single(reports);
            Assert.Contains($"event file {path} cannot be written (No space left on device", reports.Single());
            Assert.Contains("training goes on", reports.Single());

            File.Delete(filler);
            Thread.Sleep(300); // past the retry interval
            int resumedAt = step;
            for (int i = 0; i < 5; i++, step++) writer.Scalar("loss", step, step);
            writer.Flush();
            Assert.Contains(reports, r => r.Contains($"event file {path} is written again"));
            stats = writer.Stats;
            Assert.True(stats.Lost > 0);

            // Everything in the file is complete and in order: the events before the failure, then those after the retry.
            var steps = new ScalarExtractor();
            var loss = TestEvents.ReadAll(path).SelectMany(steps.Extract).Where(p => p.Tag == "loss").Select(p => p.Step).ToList();
            Assert.Equal(loss.Order(), loss);
            Assert.Equal(Enumerable.Range(resumedAt, 5).Select(s => (long)s), loss.TakeLast(5));
            TfCheck.AssertClean("events", path);
        }
        Assert.Contains(reports, r => r.Contains($"events were not written to {path}"));
        Assert.Equal(3, reports.Count);
    }
}
