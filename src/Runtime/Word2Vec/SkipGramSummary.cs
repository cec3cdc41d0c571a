using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Word2Vec;

/// <summary>What a skip-gram run reports at the end (and writes with <c>--summary-json</c>).</summary>
/// <param name="Device">The device it ran on.</param>
/// <param name="Steps">The global step reached.</param>
/// <param name="BatchSize">Pairs per step.</param>
/// <param name="FirstAverageLoss">Mean loss over the first report window of this run.</param>
/// <param name="AverageLoss">Mean loss over the last report window.</param>
/// <param name="StepsPerSecond">Training throughput (evaluation and checkpoints excluded).</param>
/// <param name="MeanStepMs">Mean wall time of one step, batch generation included, in milliseconds.</param>
/// <param name="TotalSeconds">Wall time of the whole run.</param>
/// <param name="Reports">Every average-loss report of this run, in order (the tutorial's printout, for comparing runs window by window).</param>
public sealed record SkipGramSummary(string Device, long Steps, int BatchSize, double FirstAverageLoss, double AverageLoss,
    double StepsPerSecond, double MeanStepMs, double TotalSeconds, IReadOnlyList<AverageLossReport> Reports)
{
    /// <summary>What checkpointing cost the run (null without checkpoints).</summary>
    public CheckpointStats? Checkpoints { get; init; }

    /// <summary>The summary as JSON with snake_case keys.</summary>
    public string ToJson() => SummaryJson.Serialize(this);
}
