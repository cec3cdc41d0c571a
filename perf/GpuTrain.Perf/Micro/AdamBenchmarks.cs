using BenchmarkDotNet.Attributes;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf.Micro;

/// <summary>
/// One Adam update over the Deep MNIST CNN's 3.27M parameters on the CPU accelerator (the fused
/// arena update, host SIMD over both cores) against the baseline of a plain single-threaded C# loop
/// over host arrays with the same formula.
/// </summary>
public class AdamBenchmarks : IDisposable
{
    private const int Parameters = 3_274_634;
    private Device _device = null!;
    private ParameterArena _params = null!, _grads = null!;
    private Adam _adam = null!;
    private float[] _p = null!, _g = null!, _m = null!, _v = null!;

    /// <summary>Allocates the arenas and the host arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.Open("cpu");
        var layout = new ArenaLayout();
        layout.Add("w", new Shape(Parameters));
        _params = new ParameterArena(_device, layout);
        _grads = new ParameterArena(_device, layout);
        var random = new Random(3);
        _g = Enumerable.Range(0, Parameters).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _grads.Upload(layout.Slices[0], _g);
        _adam = new Adam(1e-4f);
        _adam.Attach(_params);
        (_p, _m, _v) = (new float[Parameters], new float[Parameters], new float[Parameters]);
    }

    /// <summary>The textbook loop, one thread, scalar.</summary>
    [Benchmark(Baseline = true)]
    public void ScalarLoop()
    {
        const float lr = 1e-4f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        float alpha = lr * MathF.Sqrt(1f - b2) / (1f - b1);
        for (int i = 0; i < Parameters; i++)
        {
            float g = _g[i];
            _m[i] += (g - _m[i]) * (1f - b1);
            _v[i] += (g * g - _v[i]) * (1f - b2);
            _p[i] -= _m[i] * alpha / (MathF.Sqrt(_v[i]) + eps);
        }
    }

    /// <summary>GpuTrain's Adam.Apply over the arena.</summary>
    [Benchmark]
    public void ArenaUpdate()
    {
        _adam.Apply(_params, _grads, step: 0);
        _device.Synchronize();
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _adam.Dispose();
        _params.Dispose();
        _grads.Dispose();
        _device.Dispose();
        GC.SuppressFinalize(this);
    }
}
