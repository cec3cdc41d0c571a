using System.Diagnostics;
using System.Globalization;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;

namespace GpuTrain.Perf;

/// <summary>
/// Write and read throughput of a checkpoint (default 1 GiB of float32 in 64 tensors) in 1, 2 and 4
/// shards, next to <c>dd if=/dev/zero bs=1M conv=fdatasync</c> of the same size in the same folder and
/// run: the disk's own durable-write speed is the baseline. Writes include fsync of every file.
/// Options: <c>--mb N</c> (size), <c>--dir PATH</c> (default: the temp folder).
/// </summary>
public static class CheckpointBench
{
    private const int Tensors = 64;

    /// <summary>Runs the benchmark and prints a table.</summary>
    public static int Run(string[] args)
    {
        int megabytes = int.Parse(Option(args, "--mb") ?? "1024", CultureInfo.InvariantCulture);
        string dir = Path.Combine(Option(args, "--dir") ?? Path.GetTempPath(), $"gputrain-ckpt-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var tensors = MakeTensors(megabytes);
            long bytes = tensors.Sum(t => t.Data.LongLength);
            Console.WriteLine($"checkpoint of {bytes / (1 << 20)} MiB in {Tensors} float32 tensors, folder {dir}");
            Console.WriteLine($"{"what",-28} {"seconds",8} {"MB/s",8}");
            Report("dd conv=fdatasync (write)", bytes, Dd(dir, megabytes));
            foreach (int shards in new[] { 1, 2, 4 })
            {
                string prefix = Path.Combine(dir, $"bench-{shards}");
                Report($"write, {shards} shard(s)", bytes, Time(() => TensorBundleWriter.Write(prefix, tensors, shards)));
                Report($"read+verify, {shards} shard(s)", bytes, Time(() => ReadAll(prefix)));
                foreach (string f in Directory.EnumerateFiles(dir, $"bench-{shards}.*")) File.Delete(f);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<BundleTensor> MakeTensors(int megabytes)
    {
        int floatsEach = (int)((long)megabytes * (1 << 20) / 4 / Tensors);
        var random = new Random(1);
        return Enumerable.Range(0, Tensors).Select(i =>
        {
            var values = new float[floatsEach];
            for (int k = 0; k < values.Length; k++) values[k] = random.NextSingle();
            return BundleTensor.FromValues<float>($"layer_{i:D2}/kernel", DataType.DtFloat, [floatsEach], values);
        }).ToList();
    }

    private static void ReadAll(string prefix)
    {
        var reader = TensorBundleReader.Open(prefix);
        foreach (var entry in reader.Entries) reader.Read(entry.Name);
    }

    private static double Dd(string dir, int megabytes)
    {
        string target = Path.Combine(dir, "dd.out");
        var psi = new ProcessStartInfo("dd", ["if=/dev/zero", $"of={target}", "bs=1M", $"count={megabytes}", "conv=fdatasync"])
        {
            RedirectStandardError = true,
        };
        double seconds = Time(() =>
        {
            using var p = Process.Start(psi)!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
        });
        File.Delete(target);
        return seconds;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Report(string what, long bytes, double seconds) =>
        Console.WriteLine($"{what,-28} {seconds,8:F3} {bytes / seconds / 1e6,8:F0}");

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
