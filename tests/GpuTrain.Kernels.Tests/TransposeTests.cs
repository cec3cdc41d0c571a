using GpuTrain.Runtime.Ops;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>2D transpose against the host definition (exact: it only moves values).</summary>
[Collection(CpuCollection.Name)]
public sealed class TransposeTests(CpuDevice cpu)
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 33, 17 }, { 64, 129 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TransposeMatchesHost(int rows, int cols)
    {
        var d = cpu.Device;
        float[] x = Values(rows * cols, 30);
        using var dx = Upload(d, x);
        using var y = Upload(d, new float[x.Length]);
        TransposeOps.Transpose2D(d, dx.View, rows, cols, y.View);
        Assert.Equal(HostReference.Transpose(x, rows, cols), Download(y));
    }
}
