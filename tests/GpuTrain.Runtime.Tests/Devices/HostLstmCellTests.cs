using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// The host path of the fused LSTM cell against ILGPU's emulator running the kernel, forward and
/// backward, for widths inside, across and beyond one SIMD vector and with a forget bias. The
/// vectorized activations round differently from the kernel's scalar exp, so values agree to a few
/// parts in ten million, not bit for bit (the finite-difference tests check the gradients themselves).
/// </summary>
public sealed class HostLstmCellTests
{
    private const int Batch = 3;
    private const float ForgetBias = 0.75f;

    private static float[] Random(int n, int seed, float scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();
    }

    private static (float[] Cell, float[] Hidden, float[] DCell, float[] DGates) Run(CpuKernelExecution execution, int units)
    {
        using var device = Device.Open("cpu", execution);
        Tensor<float> Up(float[] values) => Tensor<float>.FromHost(device, new Shape(values.Length), values);
        using var gates = Up(Random(Batch * 4 * units, 1, 4f));
        using var previous = Up(Random(Batch * units, 2, 2f));
        using var dHidden = Up(Random(Batch * units, 3, 1f));
        using var dCell = Up(Random(Batch * units, 4, 1f));
        using var cell = new Tensor<float>(device, new Shape(Batch * units));
        using var hidden = new Tensor<float>(device, new Shape(Batch * units));
        using var dGates = new Tensor<float>(device, new Shape(Batch * 4 * units));
        LstmOps.CellForward(device, gates.View, previous.View, units, ForgetBias, cell.View, hidden.View);
        LstmOps.CellBackward(device, gates.View, previous.View, cell.View, dHidden.View, units, ForgetBias, dCell.View, dGates.View);
        return (cell.Download(), hidden.Download(), dCell.Download(), dGates.Download());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    public void HostCellMatchesTheKernelForwardAndBackward(int units)
    {
        var host = Run(CpuKernelExecution.HostThreads, units);
        var emulated = Run(CpuKernelExecution.Emulator, units);
        AssertClose(emulated.Cell, host.Cell, "cell");
        AssertClose(emulated.Hidden, host.Hidden, "hidden");
        AssertClose(emulated.DCell, host.DCell, "dCell");
        AssertClose(emulated.DGates, host.DGates, "dGates");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * Math.Max(1f, Math.Abs(expected[i])),
                $"{what}[{i}]: kernel {expected[i]:R}, host {actual[i]:R}");
        Assert.Contains(actual, v => v != 0f);
    }
}
