using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Sums against double-precision host sums, and bit-identical repeats.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class ReduceTests(KernelTestDevice device)
{
    public static TheoryData<int> ReduceLengths => new() { 0, 1, 7, 33, 1000, 4097, 100_003 };

    /// <summary>
    /// Float partial sums of n values in [-3, 3): error well under 1e-6 * n * 3. The input is the
    /// first n elements of a longer buffer (ILGPU allocates no empty buffer), which also checks that
    /// nothing past the view is read.
    /// </summary>
    [DeviceTheory]
    [MemberData(nameof(ReduceLengths))]
    public void SumAndSumOfSquaresMatchHost(int n)
    {
        var d = device.Device;
        float[] x = Values(n, 40);
        using var dx = Upload(d, [.. x, 1e6f]);
        using var scratch = Upload(d, new float[ReduceOps.ScratchLength]);
        using var result = Upload(d, new float[1]);

        ReduceOps.Sum(d, dx.View.SubView(0, n), scratch.View, result.View);
        Assert.Equal(x.Sum(v => (double)v), Download(result)[0], 1e-6 * (n + 1) * 3);
        ReduceOps.SumOfSquares(d, dx.View.SubView(0, n), scratch.View, result.View);
        Assert.Equal(x.Sum(v => (double)v * v), Download(result)[0], 1e-6 * (n + 1) * 9);
    }

    [DeviceFact]
    public void RepeatedSumsAreBitIdentical()
    {
        var d = device.Device;
        float[] x = Values(100_003, 41, scale: 1e3f);
        using var dx = Upload(d, x);
        using var scratch = Upload(d, new float[ReduceOps.ScratchLength]);
        using var result = Upload(d, new float[1]);
        var sums = new float[3];
        for (int k = 0; k < sums.Length; k++)
        {
            ReduceOps.SumOfSquares(d, dx.View, scratch.View, result.View);
            sums[k] = Download(result)[0];
        }
        Assert.All(sums, s => Assert.Equal(BitConverter.SingleToInt32Bits(sums[0]), BitConverter.SingleToInt32Bits(s)));
    }

    [DeviceFact]
    public void ShortScratchIsRejected()
    {
        var d = device.Device;
        using var x = Upload(d, new float[4]);
        using var scratch = Upload(d, new float[ReduceOps.ScratchLength - 1]);
        using var result = Upload(d, new float[1]);
        Assert.Throws<ArgumentException>(() => ReduceOps.Sum(d, x.View, scratch.View, result.View));
    }
}
