using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary>One curve of a plot: the points of one tag of one run, in step order.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Steps">The steps (x).</param>
/// <param name="Values">The values (y).</param>
public sealed record ScalarSeries(string Label, double[] Steps, double[] Values)
{
    /// <summary>
    /// The series of <paramref name="points"/>, one per (sub-run, tag); labels are prefixed with
    /// <paramref name="runName"/> when several runs share the chart.
    /// </summary>
    public static IEnumerable<ScalarSeries> Of(List<ScalarPoint> points, string? runName)
    {
        bool severalSubRuns = points.Select(p => p.Run).Distinct().Skip(1).Any();
        foreach (var group in points.GroupBy(p => severalSubRuns ? p.RunAndTag : p.Tag))
        {
            var ordered = group.OrderBy(p => p.Step).ToList();
            string label = runName is null ? group.Key : runName + "/" + group.Key;
            yield return new ScalarSeries(label, ordered.Select(p => (double)p.Step).ToArray(), ordered.Select(p => p.Value).ToArray());
        }
    }
}
