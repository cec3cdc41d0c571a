namespace GpuTrain.Perf;

/// <summary>
/// Entry point of the benchmarks: <c>dotnet run -c Release --project perf/GpuTrain.Perf -- NAME [options]</c>.
/// Each benchmark reports its figures next to a baseline measured in the same run.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Benchmarks = new()
    {
        ["launch"] = ("kernel launch overhead per accelerator (empty kernel, launches/s)", LaunchBench.Run),
        ["events"] = ("SummaryWriter.Scalar cost on the calling thread; records/s async vs synchronous", EventsBench.Run),
        ["checkpoint"] = ("write/read throughput of a 1 GiB checkpoint in 1, 2, 4 shards vs dd (--mb N, --dir PATH)", CheckpointBench.Run),
        ["model"] = ("steps/s, ms/step and peak memory of one model's training step on synthetic data (JSON line; --batch, --config)", ModelBench.Run),
        ["batch-plot"] = ("ms/step against batch size for the CNN, GpuTrain and PyTorch, from perf/run.sh's JSON lines (DIR -o FILE.svg)", BatchPlot.Run),
        ["micro"] = ("BenchmarkDotNet microbenchmarks of the hot kernels, each against a same-run baseline (--filter *Gemm* ...)", Micro.MicroBench.Run),
        ["profile"] = ("ms per step of each layer, loss and optimizer of the Deep MNIST CNN or, with --model ptb-lstm, of the PTB LSTM (--device, --steps, --emulate)", ProfileBench.Run),
        ["checkpoint-stall"] = ("stall per async save vs a memcpy of the same bytes (1 and 4 shards); overhead of saving every N steps over paired windows, wall and processor time (JSON line)", CheckpointStallBench.Run),
        ["gemm"] = ("GEMM GFLOP/s per engine, square and Deep MNIST shapes (perf/gemm.sh adds PyTorch)", GemmBench.Run),
        ["word2vec"] = ("steps/s of the word2vec_basic NCE step and where it goes (--data FILE, --profile; peer: perf/peers/torch_word2vec.py)", Word2VecBench.Run),
    };

    /// <summary>Runs the benchmark named by the first argument.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var bench))
        {
            Console.Error.WriteLine("usage: GpuTrain.Perf NAME [options]; benchmarks:");
            foreach (var (name, b) in Benchmarks) Console.Error.WriteLine($"  {name,-14} {b.Help}");
            return args.Length == 0 ? 0 : 2;
        }
        return bench.Run(args[1..]);
    }
}
