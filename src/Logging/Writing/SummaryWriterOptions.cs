namespace GpuTrain.Logging.Writing;

/// <summary>How a <see cref="SummaryWriter"/> buffers and flushes.</summary>
public sealed record SummaryWriterOptions
{
    /// <summary>Events the queue holds before logging calls block (back-pressure, never loss).</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>How often the background thread hands written records to the operating system.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);
}
