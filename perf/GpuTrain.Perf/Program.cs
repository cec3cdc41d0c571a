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
        ["gemm"] = ("GEMM GFLOP/s per engine, square and Deep MNIST shapes (perf/gemm.sh adds PyTorch)", GemmBench.Run),
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
