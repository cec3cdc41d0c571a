using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Gemm;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>
/// The accelerators and engines the GEMM tests run on, opened once for the test class: the default
/// CPU accelerator (host GEMM with each vector width, and the tiled kernel with the small groups that
/// device allows) and a wider CPU accelerator whose 8 x 8 groups exercise the tiled kernel with a GPU-like
/// tile (group threads are OS threads there, so wider groups only cost time).
/// </summary>
public sealed class GemmDevices : IDisposable
{
    private readonly Dictionary<string, IGemmEngine> _engines = new();

    public GemmDevices()
    {
        Cpu = Device.Open("cpu");
        WideCpu = Device.OpenCpu(threadsPerWarp: 8, warpsPerMultiprocessor: 8, multiprocessors: 1);
        _engines["host"] = GemmEngines.For(Cpu);
        _engines["host-avx2"] = new HostGemmEngine(Cpu, allowVector512: false);
        _engines["tiled-cpu"] = new TiledGemmEngine(Cpu);
        _engines["tiled-wide"] = new TiledGemmEngine(WideCpu);
    }

    /// <summary>Every engine name, for [MemberData].</summary>
    public static TheoryData<string> EngineNames => new() { "host", "host-avx2", "tiled-cpu", "tiled-wide" };

    public Device Cpu { get; }

    public Device WideCpu { get; }

    public IGemmEngine Engine(string name) => _engines[name];

    public Device DeviceOf(string name) => name == "tiled-wide" ? WideCpu : Cpu;

    public void Dispose()
    {
        foreach (var engine in _engines.Values) engine.Dispose();
        WideCpu.Dispose();
        Cpu.Dispose();
    }
}
