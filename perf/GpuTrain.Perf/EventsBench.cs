using System.Diagnostics;
using GpuTrain.Logging;
using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;

namespace GpuTrain.Perf;

/// <summary>
/// What logging costs the training thread: the time one <see cref="SummaryWriter.Scalar"/> call takes on the
/// calling thread (median and p99), and sustained scalar records per second to disk through the background
/// writer, against a plain synchronous loop that builds, serializes and writes the same records itself.
/// Usage: <c>events [records=200000]</c>.
/// </summary>
public static class EventsBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static int Run(string[] args)
    {
        int records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        string root = Directory.CreateTempSubdirectory("gputrain-events-bench-").FullName;
        try
        {
            Warmup(Path.Combine(root, "warmup"));
            var (callNs, asyncSeconds, stats) = MeasureAsync(Path.Combine(root, "async"), records);
            double syncSeconds = MeasureSync(Path.Combine(root, "sync"), records);
            Array.Sort(callNs);
            Console.WriteLine($"records: {records:N0} scalars");
            Console.WriteLine($"SummaryWriter.Scalar on the calling thread: median {callNs[callNs.Length / 2]:N0} ns, "
                              + $"p99 {callNs[(int)(callNs.Length * 0.99)]:N0} ns, max {callNs[^1]:N0} ns");
            Console.WriteLine($"  back-pressure: {stats.BlockedCalls:N0} blocked calls, {stats.BlockedTime.TotalMilliseconds:F1} ms blocked in total");
            Console.WriteLine($"async to disk (first call to file closed): {records / asyncSeconds:N0} records/s ({asyncSeconds * 1e3:F1} ms)");
            Console.WriteLine($"plain synchronous write of the same records: {records / syncSeconds:N0} records/s ({syncSeconds * 1e3:F1} ms)");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Warmup(string dir)
    {
        using (var w = new SummaryWriter(dir))
            for (int i = 0; i < 20_000; i++) w.Scalar("loss", i, i);
        using var f = new EventFileWriter(dir);
        for (int i = 0; i < 20_000; i++) f.Write(SummaryEvents.Scalar("loss", i, i, 1.7e9));
    }

    private static (long[] CallNs, double Seconds, EventWriterStats Stats) MeasureAsync(string dir, int records)
    {
        var callNs = new long[records];
        double tickNs = 1e9 / Stopwatch.Frequency;
        long start = Stopwatch.GetTimestamp();
        var w = new SummaryWriter(dir);
        for (int i = 0; i < records; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            w.Scalar("loss", i * 0.001f, i);
            callNs[i] = (long)((Stopwatch.GetTimestamp() - t0) * tickNs);
        }
        w.Dispose();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (callNs, seconds, w.Stats);
    }

    private static double MeasureSync(string dir, int records)
    {
        long start = Stopwatch.GetTimestamp();
        using (var f = new EventFileWriter(dir))
        {
            for (int i = 0; i < records; i++)
                f.Write(SummaryEvents.Scalar("loss", i * 0.001f, i, (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
