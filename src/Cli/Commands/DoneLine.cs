using GpuTrain.Runtime.Training;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// The last line of a training run: the step reached and the steps this run took (a resumed run says
/// where it started; its time and rates count only its own steps), the model's results, and the
/// checkpoint a later <c>--resume</c> or <c>eval</c> will take.
/// </summary>
internal static class DoneLine
{
    /// <summary>"done: ..." for <paramref name="summary"/>, with the model's <paramref name="results"/> in the middle.</summary>
    public static string Of(RunSummary summary, string results)
    {
        string steps = summary.StartStep == 0
            ? $"{summary.Steps} steps in {summary.TotalSeconds:F1} s"
            : $"step {summary.Steps} ({summary.StepsRun} steps from step {summary.StartStep} in {summary.TotalSeconds:F1} s)";
        string latest = summary.LatestCheckpoint is { } prefix ? $"; latest checkpoint {prefix}" : "";
        return $"done: {steps}, {results}{latest}";
    }
}
