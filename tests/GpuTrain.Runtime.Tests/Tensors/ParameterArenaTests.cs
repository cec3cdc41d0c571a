using GpuTrain.Persistence.Protos;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;
using ILGPU.Runtime;

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
    public void ADeferredClearIsZeroToEveryReaderAndTellsTheFirstWriterToOverwrite()
    {
        using var device = TestDevice.Open();
        var layout = new ArenaLayout();
        var w = layout.Add("w", new Shape(3, 5));
        var b = layout.Add("b", new Shape(5));
        var s = layout.Add("s", new Shape(20));
        using var arena = new ParameterArena(device, layout);
        // Garbage everywhere, the alignment padding included (a NaN scale of the whole arena reaches it).
        float[] garbage = Enumerable.Repeat(float.NaN, (int)layout.TotalSize).ToArray();
        arena.View.CopyFromCPU(garbage);

        arena.ClearDeferred();
        // The first writer of w is told to overwrite it; a second one to add.
        arena.Accumulator(w, out float first);
        arena.Accumulator(w, out float second);
        Assert.Equal((0f, 1f), (first, second));
        arena.Upload(w, Enumerable.Range(1, 15).Select(i => (float)i).ToArray());
        // b is read before anyone writes it: zero, and then an accumulating writer.
        Assert.Equal(new float[5], arena.Download(b));
        arena.Accumulator(b, out float afterRead);
        Assert.Equal(1f, afterRead);
        // The whole view is what an eager clear followed by writing w would leave: padding and s zero.
        float[] all = arena.DownloadAll();
        float[] expected = new float[layout.TotalSize];
        for (int i = 0; i < 15; i++) expected[i] = i + 1;
        Assert.Equal(expected, all);

        // After the whole view was read nothing is pending: every writer accumulates.
        arena.Accumulator(s, out float afterView);
        Assert.Equal(1f, afterView);
        // An eager clear cancels a deferred one.
        arena.ClearDeferred();
        arena.Clear();
        arena.Accumulator(w, out float afterEager);
        Assert.Equal(1f, afterEager);
        Assert.Equal(new float[layout.TotalSize], arena.DownloadAll());

        // A slice of another layout is refused as a writer's target and zeroes everything pending when read.
        var other = new ArenaLayout();
        other.Add("b", new Shape(5));
        var foreign = other.Add("x", new Shape(8));
        arena.View.CopyFromCPU(garbage);
        arena.ClearDeferred();
        Assert.Equal("slice", Assert.Throws<ArgumentException>(() => arena.Accumulator(foreign, out _)).ParamName);
        var foreignValues = new float[8];
        arena.ViewOf(foreign).CopyToCPU(foreignValues);
        Assert.Equal(new float[8], foreignValues);
        Assert.Equal(new float[layout.TotalSize], arena.DownloadAll());
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
