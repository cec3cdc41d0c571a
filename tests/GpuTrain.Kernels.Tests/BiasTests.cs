using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Bias add and bias gradient against host references.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class BiasTests(KernelTestDevice device)
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 7, 3 }, { 33, 10 }, { 5, 1000 }, { 4097, 1 } };

    [DeviceTheory]
    [MemberData(nameof(Shapes))]
    public void AddBroadcastsOverRows(int rows, int cols)
    {
        var d = device.Device;
        float[] x = Values(rows * cols, 20), bias = Values(cols, 21);
        using var dx = Upload(d, x);
        using var db = Upload(d, bias);
        using var y = Upload(d, new float[x.Length]);
        BiasOps.Add(d, dx.View, db.View, y.View);
        Assert.Equal(HostReference.BiasAdd(x, bias), Download(y));
    }

    /// <summary>Column sums in float against double sums: tolerance 1e-5 relative to the row count.</summary>
    [DeviceTheory]
    [MemberData(nameof(Shapes))]
    public void GradSumsColumnsAndAccumulates(int rows, int cols)
    {
        var d = device.Device;
        float[] dy = Values(rows * cols, 22);
        var expected = HostReference.BiasGrad(dy, cols);
        using var ddy = Upload(d, dy);
        using var db = Upload(d, Enumerable.Repeat(float.NaN, cols).ToArray());

        BiasOps.Grad(d, ddy.View, db.View, accumulate: false);
        AssertClose(expected, Download(db), 1e-6f * rows);
        BiasOps.Grad(d, ddy.View, db.View, accumulate: true);
        AssertClose(expected.Select(v => 2 * v).ToArray(), Download(db), 1e-6f * rows);
    }

    [DeviceTheory]
    [InlineData(3, 5)]
    [InlineData(400, 2500)]
    public void GradIsTheRowOrderSumInFloatBitForBit(int rows, int cols)
    {
        // 2500 columns: bands of 1024 on several cores (the last one ragged); each column still adds
        // its rows in order from 0, in float, as the kernel does.
        var d = device.Device;
        float[] dy = Values(rows * cols, 23);
        var expected = new float[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) expected[c] += dy[r * cols + c];
        using var ddy = Upload(d, dy);
        using var db = Upload(d, Enumerable.Repeat(float.NaN, cols).ToArray());
        BiasOps.Grad(d, ddy.View, db.View, accumulate: false);
        Assert.Equal(expected, Download(db));
    }

    [DeviceFact]
    public void RowsThatDoNotDivideAreRejected()
    {
        var d = device.Device;
        using var x = Upload(d, new float[7]);
        using var b = Upload(d, new float[3]);
        Assert.Throws<ArgumentException>(() => BiasOps.Add(d, x.View, b.View, x.View));
    }
}
