using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GpuTrain.Runtime.Gemm;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// GFLOP/s of every GEMM engine this machine has, at the square sizes and the Deep MNIST shapes of
/// <see cref="GemmShape.All"/>: the host SIMD GEMM (AVX-512 and AVX2) on the CPU accelerator, and the
/// tiled ILGPU kernel on the CPU accelerator at the smallest shapes only (it is an emulator there).
/// Each figure is the median of several repetitions, each long enough (>= 20 ms) to time.
/// With <c>--torch FILE[,FILE]</c> (JSON from perf/peers/torch_gemm.py, as perf/gemm.sh runs it)
/// it prints the ratio to the best PyTorch figure of each shape.
/// With <c>--peak</c> it prints only the host GEMM's GFLOP/s at 2048^3 as one JSON line: the machine's
/// attainable peak that perf/run.sh sets each model's achieved GFLOP/s against (the roofline line).
/// With <c>--processor</c> each figure is GFLOP per second of this process's processor time (all its
/// threads; half the wall rate for a product that keeps both cores busy), which other processes on a
/// shared machine disturb far less than the wall clock: the figure for an A/B of two builds.
/// Usage: gemm [--reps N] [--only NAME[,NAME]] [--torch FILE[,FILE]] [--processor] | gemm --peak.
/// </summary>
public static class GemmBench
{
    private const double MinRepSeconds = 0.02;

    // The tiled kernel on the CPU accelerator runs at a few MFLOP/s (group threads are OS threads).
    private const double TiledMaxFlops = 1.1e6;

    private static bool s_processorTime;

    /// <summary>Runs the benchmark and prints the table.</summary>
    public static int Run(string[] args)
    {
        int reps = int.Parse(Option(args, "--reps") ?? "7", CultureInfo.InvariantCulture);
        var only = Option(args, "--only")?.Split(',').ToHashSet();
        var torch = LoadTorch(Option(args, "--torch"));
        s_processorTime = args.Contains("--processor");

        using var cpu = Device.Open("cpu");
        using var host = GemmEngines.For(cpu);
        using var avx2 = new HostGemmEngine(cpu, allowVector512: false);
        if (args.Contains("--peak"))
        {
            var square = GemmShape.All.Single(s => s.Name == "sq2048");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["engine"] = host.Name, ["shape"] = square.Name, ["gflops"] = Measure(cpu, host, square, reps) }));
            return 0;
        }
        using var tiled = new TiledGemmEngine(cpu);

        Console.WriteLine($"GEMM GFLOP/s{(s_processorTime ? " of processor time" : "")}, median of {reps}; {Environment.ProcessorCount} threads; ratio = {host.Name} / best PyTorch");
        Console.WriteLine($"{"shape",-10} {"tA",2} {"tB",2} {"m",6} {"n",5} {"k",6} {host.Name,12} {avx2.Name,10} {"tiled-cpu",10} {"torch",8} {"torch-tuned",11} {"ratio",6}");
        foreach (var shape in GemmShape.All.Where(s => only is null || only.Contains(s.Name)))
        {
            double best = Measure(cpu, host, shape, reps);
            double simd256 = Measure(cpu, avx2, shape, reps);
            string tiledCell = shape.Flops <= TiledMaxFlops ? Measure(cpu, tiled, shape, 3).ToString("F3", CultureInfo.InvariantCulture) : "-";
            var (plain, tuned) = torch.TryGetValue(shape.Name, out var t) ? t : (double.NaN, double.NaN);
            double peer = Math.Max(plain is double.NaN ? 0 : plain, tuned is double.NaN ? 0 : tuned);
            string ratio = peer > 0 ? (best / peer).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{shape.Name,-10} {(shape.TransA ? "T" : "N"),2} {(shape.TransB ? "T" : "N"),2} {shape.M,6} {shape.N,5} {shape.K,6} {best,12:F1} {simd256,10:F1} {tiledCell,10} {plain,8:F1} {tuned,11:F1} {ratio,6}"));
        }
        return 0;
    }

    /// <summary>Median GFLOP/s of <paramref name="engine"/> on <paramref name="shape"/>, buffers allocated and touched once.</summary>
    private static double Measure(Device device, IGemmEngine engine, GemmShape shape, int reps)
    {
        int rowsA = shape.TransA ? shape.K : shape.M, colsA = shape.TransA ? shape.M : shape.K;
        int rowsB = shape.TransB ? shape.N : shape.K, colsB = shape.TransB ? shape.K : shape.N;
        using var a = device.Accelerator.Allocate1D(Filled(rowsA * colsA, 1));
        using var b = device.Accelerator.Allocate1D(Filled(rowsB * colsB, 2));
        using var c = device.Accelerator.Allocate1D(Filled(shape.M * shape.N, 3));
        void Call()
        {
            engine.Gemm(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f, a.View, colsA, b.View, colsB, 0f, c.View, shape.N);
            device.Synchronize();
        }

        var clock = Stopwatch.StartNew();
        Call();
        // The processor time of a process advances in clock ticks (10 ms): time longer repetitions by it.
        double repSeconds = s_processorTime ? 25 * MinRepSeconds : MinRepSeconds;
        int calls = Math.Max(1, (int)(repSeconds / Math.Max(clock.Elapsed.TotalSeconds, 1e-7)));
        var rates = new double[reps];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < reps; r++)
        {
            process.Refresh();
            var processor = process.TotalProcessorTime;
            clock.Restart();
            for (int i = 0; i < calls; i++) Call();
            double seconds = clock.Elapsed.TotalSeconds;
            if (s_processorTime)
            {
                process.Refresh();
                seconds = (process.TotalProcessorTime - processor).TotalSeconds;
            }
            rates[r] = shape.Flops * calls / seconds / 1e9;
        }
        Array.Sort(rates);
        return rates[reps / 2];
    }

    private static float[] Filled(int count, int seed)
    {
        var random = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)(random.NextDouble() - 0.5);
        return data;
    }

    /// <summary>Per shape: (as installed, tuned malloc) GFLOP/s from torch_gemm.py JSON files; the "tuned" key tells which is which.</summary>
    private static Dictionary<string, (double Plain, double Tuned)> LoadTorch(string? files)
    {
        var result = new Dictionary<string, (double Plain, double Tuned)>();
        foreach (string file in files?.Split(',') ?? [])
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            bool tuned = json.RootElement.GetProperty("tuned").GetBoolean();
            foreach (var shape in json.RootElement.GetProperty("gflops").EnumerateObject())
            {
                var (plain, tunedValue) = result.TryGetValue(shape.Name, out var v) ? v : (double.NaN, double.NaN);
                result[shape.Name] = tuned ? (plain, shape.Value.GetDouble()) : (shape.Value.GetDouble(), tunedValue);
            }
        }
        return result;
    }

    private static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
