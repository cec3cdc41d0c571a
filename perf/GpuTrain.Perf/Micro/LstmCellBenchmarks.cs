using BenchmarkDotNet.Attributes;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Perf.Micro;

/// <summary>The fused BasicLSTMCell at the PTB small config's shape (batch 20, 200 units): backward against the forward as baseline.</summary>
public class LstmCellBenchmarks : IDisposable
{
    private const int Batch = 20, Units = 200;
    private Device _device = null!;
    private Tensor<float> _gates = null!, _previous = null!, _cell = null!, _hidden = null!, _dHidden = null!, _dCell = null!, _dGates = null!;

    /// <summary>Allocates and fills the buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = Device.Open("cpu");
        var random = new Random(6);
        Tensor<float> Filled(int n) => Tensor<float>.FromHost(_device, new Shape(n), Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray());
        _gates = Filled(Batch * 4 * Units);
        _previous = Filled(Batch * Units);
        _cell = Filled(Batch * Units);
        _hidden = Filled(Batch * Units);
        _dHidden = Filled(Batch * Units);
        _dCell = Filled(Batch * Units);
        _dGates = Filled(Batch * 4 * Units);
    }

    /// <summary>c, h from the gate pre-activations.</summary>
    [Benchmark(Baseline = true)]
    public void CellForward()
    {
        LstmOps.CellForward(_device, _gates.View, _previous.View, Units, 0f, _cell.View, _hidden.View);
        _device.Synchronize();
    }

    /// <summary>Gate gradients and dL/dc for the previous step.</summary>
    [Benchmark]
    public void CellBackward()
    {
        LstmOps.CellBackward(_device, _gates.View, _previous.View, _cell.View, _dHidden.View, Units, 0f, _dCell.View, _dGates.View);
        _device.Synchronize();
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var t in new[] { _gates, _previous, _cell, _hidden, _dHidden, _dCell, _dGates }) t.Dispose();
        _device.Dispose();
        GC.SuppressFinalize(this);
    }
}
