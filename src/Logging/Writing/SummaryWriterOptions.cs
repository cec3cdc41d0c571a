namespace GpuTrain.Logging.Writing;

/// <summary>How a <see cref="SummaryWriter"/> buffers and flushes.</summary>
public sealed record SummaryWriterOptions
{
    /// <summary>Events the queue holds before logging calls block (back-pressure, never loss).</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>How often the background thread hands written records to the operating system.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a failed write (disk full, I/O error), how long logging pauses before it tries the file again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where a log-side failure is reported: once when writing stops, once when it resumes, and the
    /// events lost at the end. Default: standard error.
    /// </summary>
    public Action<string> Report { get; init; } = message => Console.Error.WriteLine(message);
}
