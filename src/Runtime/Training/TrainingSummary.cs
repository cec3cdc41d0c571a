namespace GpuTrain.Runtime.Training;

/// <summary>What a training run reports at the end (and writes with <c>--summary-json</c>).</summary>
/// <param name="Device">The device it ran on.</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="FinalLoss">The loss of the last step.</param>
/// <param name="EvalAccuracy">Accuracy on the held-out set after the last step.</param>
/// <param name="ExamplesPerSecond">Training throughput (evaluation time excluded).</param>
/// <param name="MeanStepMs">Mean wall time of one step in milliseconds.</param>
/// <param name="TotalSeconds">Wall time of the whole run, evaluations included.</param>
public sealed record TrainingSummary(
    string Device, long Steps, int BatchSize, float FinalLoss, double EvalAccuracy,
    double ExamplesPerSecond, double MeanStepMs, double TotalSeconds)
{
    /// <summary>Checkpointing's cost, when the run saved checkpoints.</summary>
    public CheckpointStats? Checkpoints { get; init; }

    /// <summary>The summary as JSON with snake_case keys (steps, final_loss, eval_accuracy, ...).</summary>
    public string ToJson() => SummaryJson.Serialize(this);
}
