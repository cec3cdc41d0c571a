using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GpuTrain.Examples.Mnist;
using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// What asynchronous checkpoints cost the Deep MNIST CNN's training loop, each figure next to its
/// same-run baseline: the stall of one save (starting the staging copy, plus what the next step's
/// update waits for it) against one plain memcpy of the same bytes, with 1 and 4 shards; and the
/// overhead of saving every N steps, as the median over P pairs of windows of N steps (one with a
/// save, one without) of the saving window's wall time and processor time over the plain one's, with
/// the quartiles: one save is a fraction of a percent of 100 steps, well under the drift between two
/// long runs on a shared VM, so only many short paired windows resolve it.
/// Prints one JSON line. Usage: <c>checkpoint-stall [--device SPEC] [--every N] [--pairs P] [--dir PATH]</c>.
/// </summary>
public static class CheckpointStallBench
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string spec = "cpu", dir = Path.Combine(Path.GetTempPath(), "gputrain-stall-" + Environment.ProcessId);
        int every = 100, pairs = 8;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--every" when i + 1 < args.Length: every = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pairs" when i + 1 < args.Length: pairs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir" when i + 1 < args.Length: dir = args[++i]; break;
                default: Console.Error.WriteLine($"checkpoint-stall: unknown option '{args[i]}'"); return 2;
            }
        }
        if (every < 2 || pairs < 1)
        {
            Console.Error.WriteLine($"checkpoint-stall: --every must be at least 2 and --pairs at least 1 (got {every} and {pairs})");
            return 2;
        }
        using var device = Device.Open(spec);
        using var model = DeepMnistCnn.Create(device, seed: 1);
        using var adam = new Adam(DeepMnistCnn.LearningRate);
        using var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam);
        var data = SyntheticDigits(500);
        var batches = new ShuffledBatcher(data, DeepMnistCnn.BatchSize, 1);
        var images = new float[DeepMnistCnn.BatchSize * 784];
        var labels = new int[DeepMnistCnn.BatchSize];
        void Step()
        {
            batches.NextBatch(images, labels);
            trainer.Step(images, labels);
        }
        for (int i = 0; i < 20; i++) Step();

        try
        {
            var result = new Dictionary<string, object> { ["device"] = device.Info.Id };
            foreach (int shards in new[] { 1, 4 })
            {
                using var checkpoint = new Checkpoint(trainer, [batches], new SaverOptions { NumShards = shards, MaxToKeep = 2 });
                double memcpy = MedianMemcpyMs(checkpoint.Bytes);
                var stalls = new List<double>();
                for (int i = 0; i < 5; i++)
                {
                    // The staging copy overlaps the next step's forward and backward passes; what is
                    // left of it when that step's update begins is part of the stall too.
                    var started = checkpoint.SaveInBackground(Path.Combine(dir, $"s{shards}", "model.ckpt"));
                    Step();
                    stalls.Add(started.StallMs + checkpoint.CaptureWaitMs);
                    Require(checkpoint.WaitForSave());
                }
                stalls.Sort();
                result[$"bytes"] = checkpoint.Bytes;
                result[$"memcpy_ms_shards{shards}"] = memcpy;
                result[$"stall_ms_shards{shards}"] = stalls[2];
                result[$"stall_over_memcpy_shards{shards}"] = stalls[2] / memcpy;
            }

            using (var checkpoint = new Checkpoint(trainer, [batches], new SaverOptions { MaxToKeep = 2 }))
            {
                // Windows of `every` steps, one save in each saving window, in pairs (plain, saving) whose
                // order alternates (ABBA) so that a drift in the machine's speed hits both alike. The save
                // starts after the window's first step and the window waits for it to finish, so all of a
                // save's work lands in its own window and none in the next one.
                // A save's own processor cost, with no step running beside it: capture copy, checksums,
                // serialization and file writes.
                var idleCpuMs = new List<double>();
                for (int i = 0; i < 5; i++)
                {
                    var before = Environment.CpuUsage.TotalTime;
                    Require(checkpoint.SaveInBackground(Path.Combine(dir, "idle", "model.ckpt")).Previous);
                    Require(checkpoint.WaitForSave());
                    idleCpuMs.Add((Environment.CpuUsage.TotalTime - before).TotalMilliseconds);
                }
                result["save_cpu_ms_alone"] = Median(idleCpuMs);
                var wall = new List<double>();
                var processor = new List<double>();
                var saveCpuMs = new List<double>();
                double plainWall = 0, plainCpu = 0;
                for (int pair = 0; pair < pairs; pair++)
                {
                    var windows = new (double WallMs, double CpuMs)[2];
                    foreach (bool save in pair % 2 == 0 ? new[] { false, true } : new[] { true, false })
                        windows[save ? 1 : 0] = Window(every, Step, save ? checkpoint : null, Path.Combine(dir, "loop", "model.ckpt"));
                    wall.Add(windows[1].WallMs / windows[0].WallMs - 1);
                    processor.Add(windows[1].CpuMs / windows[0].CpuMs - 1);
                    saveCpuMs.Add(windows[1].CpuMs - windows[0].CpuMs);
                    plainWall += windows[0].WallMs;
                    plainCpu += windows[0].CpuMs;
                }
                result["saving_every"] = every;
                result["saving_pairs"] = pairs;
                result["step_ms_no_saving"] = plainWall / pairs / every;
                result["cpu_ms_per_step_no_saving"] = plainCpu / pairs / every;
                result["save_cpu_ms"] = Median(saveCpuMs);
                // What a save must cost at least where training keeps every core busy: its own processor
                // time taken from training's, plus the stall on the training thread (the paired windows
                // add what this leaves out, caches and memory bandwidth, but within their noise).
                result["saving_overhead_modelled"] = Median(idleCpuMs) / (plainCpu / pairs)
                    + (double)result["stall_ms_shards1"] / (plainWall / pairs);
                result["saving_overhead"] = Median(wall);
                result["saving_overhead_q1"] = Quantile(wall, 0.25);
                result["saving_overhead_q3"] = Quantile(wall, 0.75);
                result["saving_overhead_cpu"] = Median(processor);
                result["saving_overhead_cpu_q1"] = Quantile(processor, 0.25);
                result["saving_overhead_cpu_q3"] = Quantile(processor, 0.75);
            }
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static void Require(SaveOutcome? outcome)
    {
        if (outcome is { Succeeded: false }) throw outcome.Error!;
    }

    /// <summary>
    /// Wall and processor milliseconds (this process, every thread: the writer's serialization, checksum
    /// and file writes count) of <paramref name="steps"/> steps; with a checkpoint, one save started
    /// after the first step and waited for at the end.
    /// </summary>
    private static (double WallMs, double CpuMs) Window(int steps, Action step, Checkpoint? checkpoint, string prefix)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            step();
            if (i == 0 && checkpoint != null) Require(checkpoint.SaveInBackground(prefix).Previous);
        }
        if (checkpoint != null) Require(checkpoint.WaitForSave());
        double wallMs = watch.Elapsed.TotalMilliseconds;
        return (wallMs, (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    /// <summary>The q-quantile, interpolated between the two nearest ranks.</summary>
    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        double rank = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>The baseline: one copy of the checkpoint's bytes between two already-touched host arrays.</summary>
    private static double MedianMemcpyMs(long bytes)
    {
        var source = new byte[bytes];
        var target = new byte[bytes];
        Array.Fill(source, (byte)1);
        source.CopyTo(target, 0);
        var times = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            long start = Stopwatch.GetTimestamp();
            source.CopyTo(target, 0);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return times[3];
    }

    private static ImageDataset SyntheticDigits(int count)
    {
        var random = new Random(5);
        var pixels = new float[count * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        return new ImageDataset("synthetic", 28, 28, pixels, Enumerable.Range(0, count).Select(i => i % 10).ToArray());
    }
}
