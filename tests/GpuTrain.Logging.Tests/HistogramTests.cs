using GpuTrain.Logging.Summaries;

namespace GpuTrain.Logging.Tests;

public class HistogramTests
{
    [Fact]
    public void DefaultLimitsAreTensorFlowsSeries()
    {
        var limits = DefaultHistogram.BucketLimits;
        Assert.Equal(1551, limits.Count);
        Assert.Equal(0.0, limits[775]);
        Assert.Equal(1e-12, limits[776]);
        Assert.Equal(1.1e-12, limits[777], 1e-24);
        Assert.Equal(double.MaxValue, limits[^1]);
        Assert.True(limits[^2] is >= 1e20 / 1.1 and < 1e20);
        for (int i = 0; i < limits.Count; i++) Assert.Equal(-limits[i], limits[limits.Count - 1 - i]);
        for (int i = 1; i < limits.Count; i++) Assert.True(limits[i] > limits[i - 1]);
    }

    [Fact]
    public void CountsMatchABruteForceBucketingAndEmptyRunsAreMerged()
    {
        var rng = new Random(3);
        float[] values = [.. Enumerable.Range(0, 2000).Select(_ => (float)((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-5, 6)))), 0f, 0f, -0f];
        var proto = DefaultHistogram.Build(values, "t");

        var limits = DefaultHistogram.BucketLimits;
        var reference = new double[limits.Count];
        foreach (float v in values)
        {
            int b = 0;
            while (limits[b] <= v) b++;  // first edge strictly above the value
            reference[b]++;
        }
        // Every non-empty bucket appears with its own right edge and count; empty runs collapse to one entry.
        var nonEmpty = Enumerable.Range(0, limits.Count).Where(i => reference[i] > 0).ToList();
        Assert.Equal(nonEmpty.Select(i => (limits[i], reference[i])),
            proto.BucketLimit.Zip(proto.Bucket).Where(p => p.Second > 0).Select(p => (p.First, p.Second)));
        for (int i = 1; i < proto.Bucket.Count; i++) Assert.False(proto.Bucket[i] == 0 && proto.Bucket[i - 1] == 0);
        Assert.Equal(values.Length, proto.Num);
        Assert.Equal(values.Length, proto.Bucket.Sum());
        Assert.Equal(values.Min(), proto.Min);
        Assert.Equal(values.Max(), proto.Max);
        Assert.Equal(values.Sum(v => (double)v), proto.Sum, 1e-6);
        Assert.Equal(values.Sum(v => (double)v * v), proto.SumSquares, 1e-3);
    }

    [Fact]
    public void ValueOnAnEdgeGoesToTheBucketAboveIt()
    {
        var proto = DefaultHistogram.Build([0f], "t");
        int zeroEdge = proto.BucketLimit.IndexOf(1e-12);
        Assert.Equal(1.0, proto.Bucket[zeroEdge]);
    }

    [Fact]
    public void NonFiniteValueIsRejectedWithTheTag()
    {
        var ex = Assert.Throws<ArgumentException>(() => DefaultHistogram.Build([1f, float.NaN], "layer1/weights"));
        Assert.Contains("layer1/weights", ex.Message);
    }
}
