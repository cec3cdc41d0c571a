using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace GpuTrain.Perf.Micro;

/// <summary>
/// BenchmarkDotNet microbenchmarks of the hot kernels, each class with a baseline in the same run
/// (the Ratio column): GEMM engines, convolution forward/backward, the LSTM cell, the embedding gather/scatter, the Adam update, CRC32C and the
/// event record write. In-process (no generated project per benchmark) and a short job, so the set
/// runs in a few minutes on 2 cores. Usage: <c>micro [BenchmarkDotNet args, e.g. --filter *Gemm*]</c>.
/// </summary>
public static class MicroBench
{
    /// <summary>Runs the benchmarks.</summary>
    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var types = new[] { typeof(GemmBenchmarks), typeof(ConvBenchmarks), typeof(AdamBenchmarks), typeof(Crc32CBenchmarks), typeof(RecordWriteBenchmarks), typeof(LstmCellBenchmarks), typeof(EmbeddingBenchmarks) };
        BenchmarkSwitcher.FromTypes(types).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return 0;
    }
}
