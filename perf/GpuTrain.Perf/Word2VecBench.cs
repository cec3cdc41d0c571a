using System.Diagnostics;
using System.Globalization;
using GpuTrain.Examples.Word2Vec;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Losses;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Text;
using GpuTrain.Runtime.Training;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf;

/// <summary>
/// Steps per second of the word2vec_basic step (vocabulary 50,000, D 128, batch 128, 64 candidates,
/// skip window 1, 2 skips) on the bundled corpus or synthetic Zipfian ids, and where a step's time
/// goes. perf/peers/torch_word2vec.py is the same step in PyTorch. Usage: <c>word2vec [--device SPEC]
/// [--data FILE] [--windows N] [--steps-per-window N] [--warmup N] [--profile]</c>.
/// Prints one JSON line like the peers.
/// </summary>
public static class Word2VecBench
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string spec = "cpu";
        string? data = null;
        int windows = 5, perWindow = 1000, warmup = 200;
        bool profile = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--windows" when i + 1 < args.Length: windows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps-per-window" when i + 1 < args.Length: perWindow = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup" when i + 1 < args.Length: warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads" when i + 1 < args.Length: i++; break; // the host thread pool uses every core
                case "--profile": profile = true; break;
                default: Console.Error.WriteLine($"word2vec: unknown option '{args[i]}'"); return 2;
            }
        }
        int[] ids = data is null ? ZipfianIds(2_000_000, 50_000) : Vocabulary.Build(Text8Corpus.Load(data), 50_000).Data;
        using var device = Device.Open(spec);
        using var model = new SkipGramNce(device, 50_000, 128, 128, new NceOptions(), seed: 1);
        using var sgd = new RowSparseSgd(1f);
        var trainer = new Trainer<WordPairBatch>(model, sgd, seed: 1);
        var batches = new SkipGramBatcher(ids, 128, 2, 1, seed: 1);
        void Step() => trainer.Step(batches.Next());

        for (int i = 0; i < warmup; i++) Step();
        var rates = new List<double>();
        for (int w = 0; w < windows; w++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < perWindow; i++) Step();
            device.Synchronize();
            rates.Add(perWindow / watch.Elapsed.TotalSeconds);
        }
        rates.Sort();
        double sps = rates[rates.Count / 2];
        if (profile)
        {
            var p = new StepProfile();
            model.Profile = p;
            for (int i = 0; i < perWindow; i++) Step();
            model.Profile = null;
            foreach (var (phase, ms) in p.Phases) Console.Error.WriteLine($"{phase,-16} {1000 * ms / p.Steps,8:F1} us/step");
        }
        double rssMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"model\": \"word2vec\", \"framework\": \"gputrain {device.Info.Id}\", \"threads\": {Environment.ProcessorCount}, \"steps_per_s\": {sps:F1}, \"ms_per_step\": {1000 / sps:F3}, \"peak_rss_mb\": {rssMb:F0}}}"));
        return 0;
    }

    // Word ids with the frequencies of a Zipfian vocabulary (id k has weight 1/(k+1)), as text has.
    internal static int[] ZipfianIds(int count, int vocabulary)
    {
        var cumulative = new double[vocabulary];
        double sum = 0;
        for (int k = 0; k < vocabulary; k++) cumulative[k] = sum += 1.0 / (k + 1);
        var random = new Random(7);
        var ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            int k = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            ids[i] = k < 0 ? Math.Min(~k, vocabulary - 1) : k;
        }
        return ids;
    }
}
