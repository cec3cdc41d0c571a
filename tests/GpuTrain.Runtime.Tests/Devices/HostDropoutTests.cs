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
    public void RecordedDrawsGiveWhatDrawingAgainGives()
    {
        // The backward pass applies the forward pass's recorded draws to the gradient: the same
        // values as drawing again, SIMD lanes and the scalar tail (10,007 elements) alike.
        using var device = Device.Open("cpu", CpuKernelExecution.HostThreads);
        var random = new Random(8);
        using var x = Tensor<float>.FromHost(device, new Shape(Length), Enumerable.Range(0, Length).Select(_ => random.NextSingle() + 0.5f).ToArray());
        using var dy = Tensor<float>.FromHost(device, new Shape(Length), Enumerable.Range(0, Length).Select(_ => random.NextSingle() - 0.5f).ToArray());
        using var y = new Tensor<float>(device, new Shape(Length));
        using var dx = new Tensor<float>(device, new Shape(Length));
        var kept = new byte[Length];
        DropoutOps.Apply(device, x.View, y.View, seed: 3, stream: 9, KeepProb, first: 77, kept);
        DropoutOps.ApplyKept(device, dy.View, dx.View, kept, KeepProb);
        var recorded = dx.Download();
        DropoutOps.Apply(device, dy.View, dx.View, seed: 3, stream: 9, KeepProb, first: 77);
        Assert.Equal(dx.Download(), recorded);
        Assert.Equal(y.Download().Select(v => v != 0f), kept.Select(k => k != 0));
        Assert.Contains(kept, k => k == 0);
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
