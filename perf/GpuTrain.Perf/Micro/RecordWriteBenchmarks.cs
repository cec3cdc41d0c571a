using BenchmarkDotNet.Attributes;
using GpuTrain.Logging.Records;

namespace GpuTrain.Perf.Micro;

/// <summary>
/// Writing one 64-byte TFRecord (an event holding one scalar is about that size): length, masked
/// CRCs and payload, against writing the bare payload to the same in-memory stream as baseline.
/// </summary>
public class RecordWriteBenchmarks
{
    private readonly byte[] _payload = new byte[64];
    private readonly MemoryStream _stream = new(1 << 20);
    private TfRecordWriter _writer = null!;

    /// <summary>Creates the writer.</summary>
    [GlobalSetup]
    public void Setup() => _writer = new TfRecordWriter(_stream);

    /// <summary>The payload alone.</summary>
    [Benchmark(Baseline = true)]
    public void RawWrite()
    {
        if (_stream.Position > 1 << 19) _stream.Position = 0;
        _stream.Write(_payload);
    }

    /// <summary>A framed record.</summary>
    [Benchmark]
    public void RecordWrite()
    {
        if (_stream.Position > 1 << 19) _stream.Position = 0;
        _writer.Write(_payload);
    }
}
