using BenchmarkDotNet.Attributes;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Perf.Micro;

/// <summary>CRC32C of 4 MiB (a checkpoint shard's worth of checks) against copying the same bytes as baseline.</summary>
public class Crc32CBenchmarks
{
    private readonly byte[] _data = new byte[4 << 20];
    private readonly byte[] _copy = new byte[4 << 20];

    /// <summary>Fills the buffer.</summary>
    [GlobalSetup]
    public void Setup() => new Random(4).NextBytes(_data);

    /// <summary>A plain copy of the bytes.</summary>
    [Benchmark(Baseline = true)]
    public void Copy() => _data.CopyTo(_copy, 0);

    /// <summary>GpuTrain's CRC32C (BitOperations.Crc32C, 8 bytes a step).</summary>
    [Benchmark]
    public uint Crc32C() => Persistence.Hashing.Crc32C.Compute(_data);
}
