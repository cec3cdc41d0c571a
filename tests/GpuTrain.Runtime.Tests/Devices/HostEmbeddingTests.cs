using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The embedding gather and gradient on host threads (<see cref="Host.HostEmbedding"/>) against
/// ILGPU's emulator running the kernels: the same operations in the same order, bit for bit.
/// </summary>
public sealed class HostEmbeddingTests
{
    // 37 columns: a remainder after the SIMD vectors; ids repeat (3 four times), and 300 positions spread over several threads.
    private const int Rows = 50, Width = 37, Positions = 300;

    private static (float[] Output, float[] Gradient) Run(CpuKernelExecution execution)
    {
        var random = new Random(11);
        var ids = Enumerable.Range(0, Positions).Select(p => p % 75 == 0 ? 3 : random.Next(Rows)).ToArray();
        using var device = Device.Open("cpu", execution);
        using var idView = Tensor<int>.FromHost(device, new Shape(Positions), ids);
        using var table = Tensor<float>.FromHost(device, new Shape(Rows * Width), Enumerable.Range(0, Rows * Width).Select(_ => random.NextSingle() - 0.5f).ToArray());
        using var output = new Tensor<float>(device, new Shape(Positions * Width));
        using var dOutput = Tensor<float>.FromHost(device, new Shape(Positions * Width), Enumerable.Range(0, Positions * Width).Select(_ => random.NextSingle() * 3).ToArray());
        using var dTable = Tensor<float>.FromHost(device, new Shape(Rows * Width), Enumerable.Range(0, Rows * Width).Select(_ => random.NextSingle()).ToArray());
        using var occurrences = new EmbeddingOccurrences(device, Positions);
        occurrences.Upload(ids);
        EmbeddingOps.Gather(device, idView.View, table.View, Width, output.View);
        EmbeddingOps.Backward(device, occurrences, dOutput.View, Width, dTable.View);
        return (output.Download(), dTable.Download());
    }

    [Fact]
    public void GatherAndGradientOnHostAndInTheKernelAgreeBitForBit()
    {
        var host = Run(CpuKernelExecution.HostThreads);
        var emulated = Run(CpuKernelExecution.Emulator);
        Assert.Equal(emulated.Output, host.Output);
        Assert.Equal(emulated.Gradient, host.Gradient);
        Assert.Contains(host.Output, v => v != 0f);
    }

    [Fact]
    public void AnIdOutsideTheTableIsRefusedOnTheHost()
    {
        using var device = Device.Open("cpu", CpuKernelExecution.HostThreads);
        using var ids = Tensor<int>.FromHost(device, new Shape(2), [1, Rows]);
        using var table = new Tensor<float>(device, new Shape(Rows * Width));
        using var output = new Tensor<float>(device, new Shape(2 * Width));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingOps.Gather(device, ids.View, table.View, Width, output.View));
        Assert.Contains($"id {Rows} at position 1", error.Message);
    }
}
