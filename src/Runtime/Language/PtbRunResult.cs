using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Language;

/// <summary>What a PTB training run reports at the end (and writes with <c>--summary-json</c>).</summary>
/// <param name="Device">The device it ran on.</param>
/// <param name="Config">small, medium or large.</param>
/// <param name="Steps">The global step reached.</param>
/// <param name="FinalCost">The cost of the last training batch.</param>
/// <param name="TrainPerplexity">Training perplexity of the last (possibly partial) epoch run.</param>
/// <param name="ValidPerplexities">Validation perplexity after each epoch (and after a partial last one).</param>
/// <param name="TestPerplexity">Test perplexity at the end (batch 1, one step, as the tutorial's eval_config).</param>
/// <param name="WordsPerSecond">Training throughput, evaluation excluded.</param>
/// <param name="MeanStepMs">Mean wall time of one training step.</param>
/// <param name="TotalSeconds">Wall time of the run, evaluation included.</param>
public sealed record PtbRunResult(string Device, string Config, long Steps, float FinalCost, double TrainPerplexity,
    IReadOnlyList<double> ValidPerplexities, double TestPerplexity, double WordsPerSecond, double MeanStepMs, double TotalSeconds)
{
    /// <summary>What checkpointing cost the run (null without checkpoints).</summary>
    public CheckpointStats? Checkpoints { get; init; }

    /// <summary>The result as JSON with snake_case keys.</summary>
    public string ToJson() => SummaryJson.Serialize(this);
}
