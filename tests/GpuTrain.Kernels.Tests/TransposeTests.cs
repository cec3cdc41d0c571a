using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>2D transpose against the host definition (exact: it only moves values).</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class TransposeTests(KernelTestDevice device)
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 33, 17 }, { 64, 129 } };

    [DeviceTheory]
    [MemberData(nameof(Shapes))]
    public void TransposeMatchesHost(int rows, int cols)
    {
        var d = device.Device;
        float[] x = Values(rows * cols, 30);
        using var dx = Upload(d, x);
        using var y = Upload(d, new float[x.Length]);
        TransposeOps.Transpose2D(d, dx.View, rows, cols, y.View);
        Assert.Equal(HostReference.Transpose(x, rows, cols), Download(y));
    }
}
