using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Initializers;

public sealed class InitializerTests
{
    private static float[] Draw(Initializer init, Shape shape, ulong seed)
    {
        var values = new float[shape.Size];
        init.Fill(values, shape, seed);
        return values;
    }

    [Fact]
    public void TruncatedNormalStaysWithinTwoStddevWithTheTruncatedSpread()
    {
        float[] v = Draw(new TruncatedNormal(stddev: 0.1f, mean: 0.5f), new Shape(100, 100), seed: 1);
        Assert.All(v, x => Assert.InRange(x, 0.3f, 0.7f));
        double mean = v.Average(x => (double)x);
        double std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.Equal(0.5, mean, 0.003);
        // A normal truncated at +-2 sigma keeps 0.8796 of its standard deviation.
        Assert.Equal(0.08796, std, 0.0015);
        Assert.True(v.Max() > 0.69f && v.Min() < 0.31f, "the tails up to the truncation point are used");
    }

    [Fact]
    public void SameSeedSameValuesOtherSeedOtherValues()
    {
        var shape = new Shape(5, 5, 1, 32);
        Initializer[] inits = [new TruncatedNormal(0.1f), new GlorotUniform(), new RandomUniform(-1f, 1f)];
        foreach (var init in inits)
        {
            Assert.Equal(Draw(init, shape, 7), Draw(init, shape, 7));
            Assert.NotEqual(Draw(init, shape, 7), Draw(init, shape, 8));
        }
    }

    [Theory]
    [InlineData(new[] { 784, 10 }, 784, 10)]
    [InlineData(new[] { 5, 5, 32, 64 }, 800, 1600)]
    [InlineData(new[] { 10 }, 10, 10)]
    [InlineData(new int[0], 1, 1)]
    public void GlorotFansFollowTensorFlow(int[] dims, long fanIn, long fanOut)
    {
        Assert.Equal((fanIn, fanOut), GlorotUniform.Fans(new Shape(dims)));
        Assert.Equal(Math.Sqrt(6.0 / (fanIn + fanOut)), GlorotUniform.Limit(new Shape(dims)), 1e-7);
    }

    [Fact]
    public void GlorotUniformFillsUpToItsLimit()
    {
        var shape = new Shape(5, 5, 32, 64);
        float limit = MathF.Sqrt(6f / 2400f); // 0.05
        float[] v = Draw(new GlorotUniform(), shape, 3);
        Assert.All(v, x => Assert.InRange(x, -limit, limit));
        Assert.True(v.Max() > 0.99f * limit && v.Min() < -0.99f * limit);
        Assert.Equal(0, v.Average(), 0.001);
    }

    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void RandomUniformConstantAndZerosFillAnArenaSlice()
    {
        using var device = TestDevice.Open();
        var layout = new ArenaLayout();
        var w = layout.Add("w", new Shape(4, 6));
        var b = layout.Add("b", new Shape(6));
        var c = layout.Add("c", new Shape(3));
        using var arena = new ParameterArena(device, layout);
        new RandomUniform(2f, 3f).Fill(arena, w, seed: 11);
        new Constant(0.1f).Fill(arena, b, seed: 0);
        arena.Upload(c, [1f, 2f, 3f]);
        new Zeros().Fill(arena, c, seed: 0);
        float[] wv = arena.Download(w);
        TestDevice.AssertRandomDrawsEqual(Draw(new RandomUniform(2f, 3f), w.Shape, 11), wv);
        Assert.All(wv, x => Assert.InRange(x, 2f, 3f));
        Assert.Equal(Enumerable.Repeat(0.1f, 6), arena.Download(b));
        Assert.Equal(new float[3], arena.Download(c));
        Assert.Throws<ArgumentException>(() => new Zeros().Fill(new float[2], new Shape(3), 0));
    }
}
