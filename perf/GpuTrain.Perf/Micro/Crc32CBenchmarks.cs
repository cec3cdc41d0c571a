using System.IO.Hashing;
using BenchmarkDotNet.Attributes;

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

    /// <summary>The CRC32C every bundle, table and TFRecord uses (System.IO.Hashing's, behind Persistence's internal Crc32C).</summary>
    [Benchmark]
    public uint Crc32C() => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, _data);
}
