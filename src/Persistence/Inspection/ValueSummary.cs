namespace GpuTrain.Persistence.Inspection;

/// <summary>Min, max, mean and population standard deviation of a tensor's values (NaNs counted apart).</summary>
/// <param name="Count">Number of elements.</param>
/// <param name="Min">Smallest non-NaN value (NaN when there is none).</param>
/// <param name="Max">Largest non-NaN value.</param>
/// <param name="Mean">Mean of the non-NaN values.</param>
/// <param name="Std">Population standard deviation of the non-NaN values.</param>
/// <param name="NaNs">Number of NaN elements.</param>
internal sealed record ValueSummary(long Count, double Min, double Max, double Mean, double Std, long NaNs)
{
    /// <summary>The summary of <paramref name="values"/>.</summary>
    public static ValueSummary Of(IReadOnlyList<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long n = 0, nans = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) { nans++; continue; }
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            n++;
        }
        if (n == 0) return new ValueSummary(values.Count, double.NaN, double.NaN, double.NaN, double.NaN, nans);
        double mean = sum / n;
        double squares = 0;
        foreach (double v in values)
            if (!double.IsNaN(v)) squares += (v - mean) * (v - mean);
        return new ValueSummary(values.Count, min, max, mean, Math.Sqrt(squares / n), nans);
    }
}
