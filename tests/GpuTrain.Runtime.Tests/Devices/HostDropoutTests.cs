using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The host path of the dropout mask draws the kernel's Philox numbers and divides as the kernel
/// does: the same bits as ILGPU's emulator, about keepProb of the elements kept, each scaled by
/// 1 / keepProb, and a different stream gives a different mask; also where the counter crosses 2^32.
/// </summary>
public sealed class HostDropoutTests
{
    private const int Length = 10_007;
    private const float KeepProb = 0.7f;

    private static float[] Apply(CpuKernelExecution execution, ulong stream, ulong first = 0)
    {
        using var device = Device.Open("cpu", execution);
        var random = new Random(5);
        using var x = Tensor<float>.FromHost(device, new Shape(Length), Enumerable.Range(0, Length).Select(_ => random.NextSingle() + 0.5f).ToArray());
        using var y = new Tensor<float>(device, new Shape(Length));
        DropoutOps.Apply(device, x.View, y.View, seed: 3, stream, KeepProb, first);
        return y.Download();
    }

    [Fact]
    public void HostMaskMatchesTheKernelBitForBit()
    {
        var host = Apply(CpuKernelExecution.HostThreads, stream: 11);
        Assert.Equal(Apply(CpuKernelExecution.Emulator, stream: 11), host);
        double kept = host.Count(v => v != 0f) / (double)Length;
        Assert.InRange(kept, KeepProb - 0.02, KeepProb + 0.02);
        Assert.NotEqual(host, Apply(CpuKernelExecution.HostThreads, stream: 12));
    }

    [Fact]
    public void HostMaskMatchesTheKernelWhereTheCounterCrossesIntoItsHighWord()
    {
        // A data-parallel rank's offset can put a batch across 2^32: the SIMD path splits each
        // 64-bit counter into Philox's two words per lane.
        const ulong first = uint.MaxValue - 4_999ul;
        Assert.Equal(Apply(CpuKernelExecution.Emulator, stream: 5, first), Apply(CpuKernelExecution.HostThreads, stream: 5, first));
    }
}
