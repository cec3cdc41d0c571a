using GpuTrain.Runtime.Gemm;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>Which engine each accelerator gets, and the host engine's use of the accelerator's own memory.</summary>
public sealed class GemmEngineSelectionTests(GemmDevices devices) : IClassFixture<GemmDevices>
{
    [Fact]
    public void CpuAcceleratorGetsTheHostGemm()
    {
        using var engine = GemmEngines.For(devices.Cpu);
        Assert.IsType<HostGemmEngine>(engine);
        Assert.StartsWith("host-avx", engine.Name);
    }

    [Fact]
    public void CuBlasRefusesANonCudaDevice()
    {
        var e = Assert.Throws<ArgumentException>(() => new CuBlasGemmEngine(devices.Cpu));
        Assert.Contains("CUDA", e.Message);
    }

    [Fact]
    public void HostGemmReadsAndWritesSubViewsAtTheirOffsets()
    {
        // A = [[1, 2], [3, 4]] and B = I sit at offset 3 of one buffer, C at offset 5 of another:
        // the host pointers must include the view offsets and leave the bytes around C alone.
        float[] arena = [9, 9, 9, 1, 2, 3, 4, 1, 0, 0, 1];
        using var input = devices.Cpu.Accelerator.Allocate1D(arena);
        using var output = devices.Cpu.Accelerator.Allocate1D(Enumerable.Repeat(-7f, 11).ToArray());
        ArrayView<float> a = input.View.SubView(3, 4), b = input.View.SubView(7, 4), c = output.View.SubView(5, 4);

        devices.Engine("host").Gemm(false, false, 2, 2, 2, 2f, a, 2, b, 2, 0f, c, 2);

        Assert.Equal([-7, -7, -7, -7, -7, 2, 4, 6, 8, -7, -7], output.GetAsArray1D());
    }
}
