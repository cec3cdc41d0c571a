using GpuTrain.Persistence.Protos;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Tensors;

public sealed class ParameterArenaTests
{
    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void NamedSlicesAreDisjointAlignedAndRoundTrip()
    {
        using var device = TestDevice.Open();
        var layout = new ArenaLayout();
        var w = layout.Add("dense/kernel", new Shape(3, 5));
        var b = layout.Add("dense/bias", new Shape(5));
        var s = layout.Add("scale", Shape.Scalar);
        Assert.Equal(0, w.Offset);
        Assert.True(b.Offset >= w.Offset + w.Size && b.Offset % 16 == 0);
        Assert.True(s.Offset >= b.Offset + b.Size && s.Offset % 16 == 0);

        using var arena = new ParameterArena(device, layout);
        float[] wv = Enumerable.Range(0, 15).Select(i => i * 0.5f).ToArray();
        float[] bv = [1, 2, 3, 4, 5];
        arena.Upload(w, wv);
        arena.Upload(b, bv);
        arena.Upload(s, [7f]);
        Assert.Equal(wv, arena.Download(arena["dense/kernel"]));
        Assert.Equal(bv, arena.Download(b));
        Assert.Equal([7f], arena.Download(s));
        Assert.Throws<KeyNotFoundException>(() => arena["missing"]);
        Assert.Throws<ArgumentException>(() => arena.Upload(b, [1f, 2f]));
        Assert.Throws<ArgumentException>(() => layout.Add("dense/bias", new Shape(1)));
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void TensorsCarryShapeAndDtypeAndRoundTrip()
    {
        using var device = TestDevice.Open();
        using var f = Tensor<float>.FromHost(device, new Shape(2, 3), [1, 2, 3, 4, 5, 6]);
        using var i = Tensor<int>.FromHost(device, new Shape(3), [7, 8, 9]);
        using var l = Tensor<long>.FromHost(device, new Shape(1), [1L << 40]);
        Assert.Equal(DataType.DtFloat, f.DType);
        Assert.Equal(DataType.DtInt32, i.DType);
        Assert.Equal(DataType.DtInt64, l.DType);
        Assert.Equal(new Shape(2, 3), f.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, f.Download());
        Assert.Equal(new[] { 7, 8, 9 }, i.Download());
        Assert.Equal(new[] { 1L << 40 }, l.Download());
        Assert.Throws<ArgumentException>(() => f.Upload([1f]));
    }
}
