namespace GpuTrain.Logging.Reading;

/// <summary>
/// TensorBoard's "Smoothing" slider: an exponential moving average, debiased so that the first points
/// are not pulled towards zero. Non-finite values pass through unchanged and do not enter the average,
/// and a constant series is left as it is, as TensorBoard does.
/// </summary>
public static class TensorBoardSmoothing
{
    /// <summary>The smoothed values of <paramref name="values"/> (in step order) with <paramref name="weight"/> in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is outside [0, 1).</exception>
    public static double[] Smooth(IReadOnlyList<double> values, double weight)
    {
        if (!(weight >= 0 && weight < 1)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "the smoothing weight must be in [0, 1)");
        var smoothed = new double[values.Count];
        bool constant = values.All(v => v.Equals(values[0]));
        double last = 0;
        int accumulated = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (constant || !double.IsFinite(v))
            {
                smoothed[i] = v;
                continue;
            }
            last = last * weight + (1 - weight) * v;
            accumulated++;
            smoothed[i] = last / (1 - Math.Pow(weight, accumulated));
        }
        return smoothed;
    }
}
