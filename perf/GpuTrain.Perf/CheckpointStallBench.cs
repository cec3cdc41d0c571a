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
/// update waits for it) against one plain memcpy of the same bytes, with 1 and 4 shards; and the step time when saving every N steps against not saving.
/// Prints one JSON line. Usage: <c>checkpoint-stall [--device SPEC] [--steps N] [--every N] [--dir PATH]</c>.
/// </summary>
public static class CheckpointStallBench
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string spec = "cpu", dir = Path.Combine(Path.GetTempPath(), "gputrain-stall-" + Environment.ProcessId);
        int steps = 300, every = 100;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--every" when i + 1 < args.Length: every = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir" when i + 1 < args.Length: dir = args[++i]; break;
                default: Console.Error.WriteLine($"checkpoint-stall: unknown option '{args[i]}'"); return 2;
            }
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
                // Alternate the two configurations so drift in the machine's load hits both alike.
                var plain = new List<double>();
                var saving = new List<double>();
                for (int round = 0; round < 2; round++)
                {
                    plain.Add(StepMs(steps, Step, null));
                    saving.Add(StepMs(steps, Step, () =>
                    {
                        if (trainer.GlobalStep % every == 0)
                            Require(checkpoint.SaveInBackground(Path.Combine(dir, "loop", "model.ckpt")).Previous);
                    }));
                }
                Require(checkpoint.WaitForSave());
                result["step_ms_no_saving"] = plain.Min();
                result[$"step_ms_saving_every_{every}"] = saving.Min();
                result["saving_overhead"] = saving.Min() / plain.Min() - 1;
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

    private static double StepMs(int steps, Action step, Action? afterStep)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            step();
            afterStep?.Invoke();
        }
        return watch.Elapsed.TotalMilliseconds / steps;
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
