using System.Text.Json.Serialization;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// What any training run reports at the end (and writes with <c>--summary-json</c>): the figures every
/// run has, plus the <see cref="Results"/> its evaluations recorded (<c>eval_accuracy</c>,
/// <c>valid_perplexities</c>, <c>test_perplexity</c>, <c>average_loss</c>, ...), written beside them.
/// </summary>
/// <param name="Device">The device it ran on.</param>
/// <param name="Steps">The global step reached.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="FinalLoss">The loss of the last step.</param>
/// <param name="StepsPerSecond">Training throughput, batch generation included, evaluations and saves excluded.</param>
/// <param name="ExamplesPerSecond">The same in examples.</param>
/// <param name="MeanStepMs">Mean wall time of one step in milliseconds.</param>
/// <param name="TotalSeconds">Wall time of the whole run, evaluations included.</param>
public sealed record RunSummary(string Device, long Steps, int BatchSize, float FinalLoss, double StepsPerSecond,
    double ExamplesPerSecond, double MeanStepMs, double TotalSeconds)
{
    /// <summary>The global step the run started from (the restored one when it resumed).</summary>
    public long StartStep { get; init; }

    /// <summary>Steps this run took (<see cref="Steps"/> minus <see cref="StartStep"/>): what the throughput figures count.</summary>
    public long StepsRun { get; init; }

    /// <summary>The newest checkpoint the run wrote (its final save), when it saved checkpoints.</summary>
    public string? LatestCheckpoint { get; init; }

    /// <summary>Checkpointing's cost, when the run saved checkpoints.</summary>
    public CheckpointStats? Checkpoints { get; init; }

    /// <summary>The results the run's observers recorded, by snake_case name.</summary>
    [JsonExtensionData]
    public Dictionary<string, object> Results { get; init; } = [];

    /// <summary>A recorded result, or NaN when none was recorded under <paramref name="name"/>.</summary>
    public double Result(string name) => Results.TryGetValue(name, out var value) && value is double d ? d : double.NaN;

    /// <summary>The summary as JSON with snake_case keys.</summary>
    public string ToJson() => SummaryJson.Serialize(this);
}
