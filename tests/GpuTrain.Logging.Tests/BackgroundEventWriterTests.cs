using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

public class BackgroundEventWriterTests
{
    [Fact]
    public void FullQueueBlocksTheCallerCountsTheWaitAndLosesNothing()
    {
        using var dir = new TempDir();
        var file = new EventFileWriter(dir.Path);
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var writer = new BackgroundEventWriter(file, new SummaryWriterOptions { QueueCapacity = 3 });
        writer.Enqueue(() =>
        {
            started.Set();
            gate.Wait();  // holds the background thread so the queue fills up
            return SummaryEvents.Scalar("x", 0, 0, 1e9);
        });
        started.Wait();
        for (int i = 1; i <= 3; i++)
        {
            int step = i;
            writer.Enqueue(() => SummaryEvents.Scalar("x", step, step, 1e9));
        }
        Assert.Equal(0, writer.Stats.BlockedCalls);
        var producer = new Thread(() => writer.Enqueue(() => SummaryEvents.Scalar("x", 4, 4, 1e9)));
        producer.Start();
        // No room: the fifth call must go to sleep inside Enqueue before the background thread is released.
        while ((producer.ThreadState & ThreadState.WaitSleepJoin) == 0) Thread.Yield();
        gate.Set();
        producer.Join();
        writer.Dispose();

        Assert.Equal(1, writer.Stats.BlockedCalls);
        Assert.True(writer.Stats.BlockedTime > TimeSpan.Zero);
        Assert.Equal(5, writer.Stats.Written);
        var steps = TestEvents.ReadAll(file.Path).Skip(1).Select(e => e.Step);
        Assert.Equal([0L, 1, 2, 3, 4], steps);
    }

    [Fact]
    public void AFailingEventBuilderIsABugReportedToTheNextCaller()
    {
        using var dir = new TempDir();
        var writer = new BackgroundEventWriter(new EventFileWriter(dir.Path), new SummaryWriterOptions());
        writer.Enqueue(() => throw new ArgumentException("no such summary"));
        var ex = Assert.Throws<InvalidOperationException>(writer.Flush);
        Assert.Contains("no such summary", ex.Message);
        Assert.Throws<InvalidOperationException>(() => writer.Enqueue(() => new Event()));
        Assert.Throws<InvalidOperationException>(writer.Dispose);
    }

    [Fact]
    public void ManyThreadsLoseNothingAndKeepEachTagsStepsInOrder()
    {
        const int threads = 8, steps = 500;
        using var dir = new TempDir();
        string path;
        using (var w = new SummaryWriter(dir.Path, new SummaryWriterOptions { QueueCapacity = 64 }))
        {
            path = w.FilePath;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (int step = 0; step < steps; step++)
                {
                    w.Scalar($"thread{t}/loss", t * 1000 + step, step);
                    if (step % 100 == 0) w.Histogram($"thread{t}/h", [step, t], step);
                }
            });
        }
        var scalars = new Reading.ScalarExtractor();
        var byTag = TestEvents.ReadAll(path).SelectMany(scalars.Extract).GroupBy(p => p.Tag).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(threads, byTag.Count);
        for (int t = 0; t < threads; t++)
        {
            var points = byTag[$"thread{t}/loss"];
            Assert.Equal(Enumerable.Range(0, steps).Select(i => (long)i), points.Select(p => p.Step));
            Assert.Equal(Enumerable.Range(0, steps).Select(i => (double)(t * 1000 + i)), points.Select(p => p.Value));
        }
        int histograms = TestEvents.ReadAll(path).Count(e => e.Summary?.Value[0].ValueCase == Summary.Types.Value.ValueOneofCase.Histo);
        Assert.Equal(threads * steps / 100, histograms);
    }
}
