using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Elementwise kernels against host arithmetic: exact, since each is one float operation.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class ElementwiseTests(KernelTestDevice device)
{
    [DeviceTheory]
    [MemberData(nameof(Lengths), MemberType = typeof(TestData))]
    public void AddMulScaleAxpyFillCopyMatchHost(int n)
    {
        var d = device.Device;
        float[] a = Values(n, 1), b = Values(n, 2);
        using var da = Upload(d, a);
        using var db = Upload(d, b);
        using var dc = Upload(d, new float[n]);

        ElementwiseOps.Add(d, da.View, db.View, dc.View);
        Assert.Equal(HostReference.Zip(a, b, (x, y) => x + y), Download(dc));
        ElementwiseOps.Mul(d, da.View, db.View, dc.View);
        Assert.Equal(HostReference.Zip(a, b, (x, y) => x * y), Download(dc));
        ElementwiseOps.Scale(d, da.View, -2.5f, dc.View);
        Assert.Equal(HostReference.Map(a, x => -2.5f * x), Download(dc));
        ElementwiseOps.Axpy(d, 0.75f, da.View, db.View);
        Assert.Equal(HostReference.Zip(a, b, (x, y) => y + 0.75f * x), Download(db));
        ElementwiseOps.Copy(d, da.View, dc.View);
        Assert.Equal(a, Download(dc));
        ElementwiseOps.Fill(d, dc.View, 4.25f);
        Assert.All(Download(dc), v => Assert.Equal(4.25f, v));
    }

    [DeviceFact]
    public void InPlaceAddDoublesTheBuffer()
    {
        var d = device.Device;
        float[] a = Values(33, 3);
        using var da = Upload(d, a);
        ElementwiseOps.Add(d, da.View, da.View, da.View);
        Assert.Equal(HostReference.Map(a, x => 2 * x), Download(da));
    }

    [DeviceFact]
    public void MismatchedLengthsAreRejectedByName()
    {
        var d = device.Device;
        using var a = Upload(d, new float[7]);
        using var b = Upload(d, new float[8]);
        var ex = Assert.Throws<ArgumentException>(() => ElementwiseOps.Add(d, a.View, b.View, a.View));
        Assert.Equal("b", ex.ParamName);
    }
}
