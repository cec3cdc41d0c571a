using BenchmarkDotNet.Attributes;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf.Micro;

/// <summary>The host GEMM at the CNN's heaviest shape (conv2 forward: 9800 x 64 x 800), AVX-512 against the AVX2 kernel as baseline.</summary>
public class GemmBenchmarks : IDisposable
{
    private const int M = 9800, N = 64, K = 800;
    private Device _device = null!;
    private HostGemmEngine _avx512 = null!, _avx2 = null!;
    private Tensor<float> _a = null!, _b = null!, _c = null!;

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.Open("cpu");
        _avx512 = new HostGemmEngine(_device);
        _avx2 = new HostGemmEngine(_device, allowVector512: false);
        _a = Filled(new Shape(M, K));
        _b = Filled(new Shape(K, N));
        _c = new Tensor<float>(_device, new Shape(M, N));
    }

    private Tensor<float> Filled(Shape shape)
    {
        var t = new Tensor<float>(_device, shape);
        var random = new Random(1);
        t.Upload(Enumerable.Range(0, (int)shape.Size).Select(_ => random.NextSingle()).ToArray());
        return t;
    }

    /// <summary>The AVX2 (Vector256) micro-kernel.</summary>
    [Benchmark(Baseline = true)]
    public void HostAvx2() => _avx2.Gemm(false, false, M, N, K, 1f, _a.View, K, _b.View, N, 0f, _c.View, N);

    /// <summary>The AVX-512 micro-kernel (what the CPU accelerator uses where Vector512 is accelerated).</summary>
    [Benchmark]
    public void HostAvx512() => _avx512.Gemm(false, false, M, N, K, 1f, _a.View, K, _b.View, N, 0f, _c.View, N);

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var t in new[] { _a, _b, _c }) t.Dispose();
        _avx512.Dispose();
        _avx2.Dispose();
        _device.Dispose();
        GC.SuppressFinalize(this);
    }
}
