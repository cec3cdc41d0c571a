using GpuTrain.Examples.Mnist;
using GpuTrain.Examples.Ptb;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// Training throughput of one model on synthetic data: steps per second as the median of timed
/// windows after warm-up, ms per step, and the process's peak resident memory, printed as one JSON
/// line in the format of the PyTorch peers (perf/peers/torch_*.py) so perf/run.sh can set them side by side.
/// Usage: <c>model NAME [--device SPEC] [--warmup N] [--windows N] [--steps-per-window N] [--batch N]
/// [--config small|medium]</c> (--batch: mnist-cnn's batch size; --config: ptb-lstm's tutorial config).
/// </summary>
public static class ModelBench
{
    private static readonly Dictionary<string, Func<Device, int?, PtbConfig, IStepWorkload>> Workloads = new()
    {
        ["mnist-cnn"] = (device, batch, _) => new MnistCnnWorkload(device, batch ?? DeepMnistCnn.BatchSize),
        ["ptb-lstm"] = (device, _, config) => new PtbLstmWorkload(device, config),
        ["word2vec"] = (device, _, _) => new Word2VecWorkload(device),
    };

    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Workloads.TryGetValue(args[0], out var create))
        {
            Console.Error.WriteLine($"model: name one of {string.Join(", ", Workloads.Keys)}");
            return 2;
        }
        string spec = "auto";
        int warmup = 20, windows = 5, perWindow = 20;
        int? batch = null;
        var config = PtbConfig.Small;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--warmup" when i + 1 < args.Length: warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--windows" when i + 1 < args.Length: windows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps-per-window" when i + 1 < args.Length: perWindow = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--config" when i + 1 < args.Length: config = PtbConfig.Named(args[++i]); break;
                default: Console.Error.WriteLine($"model: unknown option '{args[i]}'"); return 2;
            }
        }
        using var device = Device.Open(spec);
        using var workload = create(device, batch, config);
        // Warm-up also lets the JIT's tiered compilation reach its optimized code.
        // Warm up for the steps asked and at least two seconds: the JIT's tiered compilation needs
        // a few hundred calls of a fast step (word2vec's is ~1 ms) before the optimized code runs.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warm.Elapsed.TotalSeconds < 2; i++) workload.Step();
        var rates = new List<double>();
        // Processor time per step beside the wall clock: on a shared, loaded machine it moves far less
        // with the neighbours' load than wall time does (it still counts spinning and cache misses).
        var self = Process.GetCurrentProcess();
        var cpuStart = self.TotalProcessorTime;
        long steps = 0;
        for (int w = 0; w < windows; w++)
        {
            // A window is the steps asked and at least half a second, so fast steps are not timed in microseconds.
            long start = Stopwatch.GetTimestamp();
            int taken = 0;
            while (taken < perWindow || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5)
            {
                workload.Step();
                taken++;
            }
            device.Synchronize();
            rates.Add(taken / Stopwatch.GetElapsedTime(start).TotalSeconds);
            steps += taken;
        }
        self.Refresh();
        double cpuMsPerStep = (self.TotalProcessorTime - cpuStart).TotalMilliseconds / steps;
        rates.Sort();
        double median = rates[rates.Count / 2];
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = args[0] == "ptb-lstm" && config != PtbConfig.Small ? "ptb-lstm-" + config.Name : args[0],
            ["framework"] = "gputrain",
            ["device"] = device.Info.Id,
            ["threads"] = Environment.ProcessorCount,
            ["steps_per_s"] = median,
            ["ms_per_step"] = 1000 / median,
            ["cpu_ms_per_step"] = cpuMsPerStep,
            ["peak_rss_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
            ["gflop_per_step"] = workload.FlopsPerStep / 1e9,
            ["gflops"] = workload.FlopsPerStep * median / 1e9,
        }));
        return 0;
    }
}
