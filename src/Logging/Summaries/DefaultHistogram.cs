using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Summaries;

/// <summary>
/// TensorFlow's default histogram (tensorflow/core/lib/histogram/histogram.cc): bucket right edges grow
/// by 10% from 1e-12 to 1e20, mirrored for negatives, plus 0 and +-DBL_MAX (1551 edges). Runs of empty
/// buckets are merged as EncodeToProto does, so a proto stays small whatever the value range.
/// </summary>
internal static class DefaultHistogram
{
    /// <summary>The 1551 bucket right edges, ascending.</summary>
    public static IReadOnlyList<double> BucketLimits => Limits;

    private static readonly double[] Limits = BuildLimits();

    private static double[] BuildLimits()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        positive.Add(double.MaxValue);
        var limits = new List<double>(positive.Count * 2 + 1);
        for (int i = positive.Count - 1; i >= 0; i--) limits.Add(-positive[i]);
        limits.Add(0.0);
        limits.AddRange(positive);
        return [.. limits];
    }

    /// <summary>The bucket a value falls in: the first edge strictly greater than it (std::upper_bound).</summary>
    public static int BucketOf(double value)
    {
        int lo = 0, hi = Limits.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Limits[mid] > value) hi = mid; else lo = mid + 1;
        }
        return Math.Min(lo, Limits.Length - 1);
    }

    /// <summary>Builds the HistogramProto of <paramref name="values"/>; non-finite values are rejected as TF does.</summary>
    public static HistogramProto Build(ReadOnlySpan<float> values, string tag)
    {
        var counts = new double[Limits.Length];
        double min = double.MaxValue, max = -double.MaxValue, sum = 0, sumSquares = 0;
        foreach (float f in values)
        {
            if (!float.IsFinite(f)) throw new ArgumentException($"histogram '{tag}' holds a non-finite value ({f})", nameof(values));
            double v = f;
            counts[BucketOf(v)] += 1;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            sumSquares += v * v;
        }
        var proto = new HistogramProto { Min = min, Max = max, Num = values.Length, Sum = sum, SumSquares = sumSquares };
        for (int i = 0; i < counts.Length;)
        {
            double end = Limits[i];
            double count = counts[i];
            i++;
            if (count <= 0)
            {
                while (i < counts.Length && counts[i] <= 0)
                {
                    end = Limits[i];
                    i++;
                }
            }
            proto.BucketLimit.Add(end);
            proto.Bucket.Add(count);
        }
        return proto;
    }
}
