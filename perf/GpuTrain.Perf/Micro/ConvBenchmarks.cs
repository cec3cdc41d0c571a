using BenchmarkDotNet.Attributes;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf.Micro;

/// <summary>
/// The Deep MNIST conv2 layer (14x14x32 in, 64 filters of 5x5, SAME, batch 50) on the CPU
/// accelerator: backward (two GEMMs and col2im) against the forward (im2col and one GEMM) as baseline.
/// </summary>
public class ConvBenchmarks : IDisposable
{
    private Device _device = null!;
    private Sequential _model = null!;
    private readonly PassContext _pass = new(Training: true, Seed: 1, Step: 0);

    /// <summary>Builds the layer and fills its input and output gradient.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.Open("cpu", CpuKernelExecution.HostThreads);
        _model = new Sequential(_device, [14, 14, 32], seed: 1, new Conv2D(64, 5, Padding.Same));
        _model.Plan(50);
        var random = new Random(2);
        _model.Input.CopyFromCPU(Enumerable.Range(0, (int)_model.Input.Length).Select(_ => random.NextSingle()).ToArray());
        _model.OutputGrad.CopyFromCPU(Enumerable.Range(0, (int)_model.OutputGrad.Length).Select(_ => random.NextSingle()).ToArray());
    }

    /// <summary>im2col, GEMM, bias.</summary>
    [Benchmark(Baseline = true)]
    public void Forward() => _model.Forward(_pass);

    /// <summary>Kernel and bias gradients, input gradient through col2im.</summary>
    [Benchmark]
    public void Backward() => _model.Backward(_pass, inputGradient: true);

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _model.Dispose();
        _device.Dispose();
        GC.SuppressFinalize(this);
    }
}
