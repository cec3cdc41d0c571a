using BenchmarkDotNet.Attributes;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf.Micro;

/// <summary>
/// The PTB small config's embedding (vocabulary 10,000 x 200, 400 ids a batch with repeats): the
/// deterministic row-grouped gradient scatter (occurrence lists built on the host, then one gather
/// per used row) against the forward gather as baseline.
/// </summary>
public class EmbeddingBenchmarks : IDisposable
{
    private const int Vocabulary = 10_000, Width = 200, Positions = 400;
    private Device _device = null!;
    private Tensor<float> _table = null!, _output = null!, _dTable = null!;
    private Tensor<int> _ids = null!;
    private EmbeddingOccurrences _occurrences = null!;
    private int[] _hostIds = null!;

    /// <summary>Allocates and fills the buffers with Zipf-like ids (frequent words repeat, as in text).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.Open("cpu");
        var random = new Random(8);
        _hostIds = Enumerable.Range(0, Positions).Select(_ => (int)(Math.Exp(random.NextDouble() * Math.Log(Vocabulary)) - 1)).ToArray();
        _ids = Tensor<int>.FromHost(_device, new Shape(Positions), _hostIds);
        _table = Tensor<float>.FromHost(_device, new Shape(Vocabulary * Width), new float[Vocabulary * Width]);
        _output = new Tensor<float>(_device, new Shape(Positions * Width));
        _dTable = new Tensor<float>(_device, new Shape(Vocabulary * Width));
        _occurrences = new EmbeddingOccurrences(_device, Positions);
    }

    /// <summary>One row copied per id.</summary>
    [Benchmark(Baseline = true)]
    public void Gather()
    {
        EmbeddingOps.Gather(_device, _ids.View, _table.View, Width, _output.View);
        _device.Synchronize();
    }

    /// <summary>Occurrence lists for this batch, then the used rows' gradients summed in a fixed order.</summary>
    [Benchmark]
    public void ScatterGradient()
    {
        _occurrences.Upload(_hostIds);
        EmbeddingOps.Backward(_device, _occurrences, _output.View, Width, _dTable.View);
        _device.Synchronize();
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _occurrences.Dispose();
        foreach (var t in new[] { _table, _output, _dTable }) t.Dispose();
        _ids.Dispose();
        _device.Dispose();
        GC.SuppressFinalize(this);
    }
}
