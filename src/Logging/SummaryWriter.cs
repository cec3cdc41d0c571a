using GpuTrain.Logging.Graphs;
using GpuTrain.Logging.Summaries;
using GpuTrain.Logging.Writing;

namespace GpuTrain.Logging;

/// <summary>
/// Writes TensorBoard summaries for one run (tf.summary.FileWriter / tensorboardX SummaryWriter in
/// spirit). Every call only captures its values and enqueues; protos are built, serialized and written on
/// a background thread. The file is flushed every few seconds, on <see cref="Flush"/>, on
/// <see cref="Dispose"/> and at process exit. Thread-safe: many threads may log at once; events from one
/// thread keep their order.
/// </summary>
public sealed class SummaryWriter : IDisposable
{
    private static readonly DateTime UnixEpoch = DateTime.UnixEpoch;
    private readonly BackgroundEventWriter _writer;
    private readonly EventHandler _onProcessExit;

    /// <summary>Opens a new event file in <paramref name="logDir"/> (created if missing).</summary>
    /// <remarks>An earlier writer's event file in the folder that ends inside a record (its process was killed mid-write) is cut back to its last whole record first (<see cref="AbandonedEventTails"/>).</remarks>
    public SummaryWriter(string logDir, SummaryWriterOptions? options = null)
    {
        options ??= new SummaryWriterOptions();
        AbandonedEventTails.Cut(logDir, options.Report);
        var file = new EventFileWriter(logDir);
        FilePath = file.Path;
        _writer = new BackgroundEventWriter(file, options);
        _onProcessExit = (_, _) => DisposeAtExit();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The event file this writer appends to.</summary>
    public string FilePath { get; }

    /// <summary>Queue and back-pressure counters.</summary>
    public EventWriterStats Stats => _writer.Stats;

    /// <summary>
    /// Marks a (re)start at <paramref name="step"/>: the first step this run will log. TensorBoard then drops
    /// points of this log folder with step &gt;= <paramref name="step"/> written by an earlier, interrupted run.
    /// </summary>
    public void Start(long step)
    {
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.SessionStart(step, wall));
    }

    /// <summary>Logs a scalar.</summary>
    public void Scalar(string tag, float value, long step)
    {
        RequireTag(tag);
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.Scalar(tag, value, step, wall));
    }

    /// <summary>Logs a histogram of <paramref name="values"/> (copied; bucketed on the background thread).</summary>
    public void Histogram(string tag, ReadOnlySpan<float> values, long step)
    {
        RequireTag(tag);
        foreach (float v in values)
            if (!float.IsFinite(v)) throw new ArgumentException($"histogram '{tag}' at step {step} holds a non-finite value ({v})", nameof(values));
        float[] copy = values.ToArray();
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.Histogram(tag, copy, step, wall));
    }

    /// <summary>Logs text (TensorBoard's Text tab renders it as markdown).</summary>
    public void Text(string tag, string text, long step)
    {
        RequireTag(tag);
        ArgumentNullException.ThrowIfNull(text);
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.Text(tag, text, step, wall));
    }

    /// <summary>Logs an 8-bit image laid out height x width x channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA); PNG-encoded in the background.</summary>
    public void Image(string tag, ReadOnlySpan<byte> pixels, int height, int width, int channels, long step)
    {
        RequireTag(tag);
        if (height <= 0 || width <= 0 || channels is < 1 or > 4 || pixels.Length != (long)height * width * channels)
            throw new ArgumentException(
                $"image '{tag}': {pixels.Length} bytes do not form a {height}x{width}x{channels} image (channels 1..4)", nameof(pixels));
        byte[] copy = pixels.ToArray();
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.Image(tag, copy, height, width, channels, step, wall));
    }

    /// <summary>Logs the model graph (TensorBoard's Graphs tab). The node list is validated now.</summary>
    public void Graph(IEnumerable<GraphNode> nodes)
    {
        var list = nodes.ToList();
        GraphDefBuilder.Build(list);
        double wall = Now();
        _writer.Enqueue(() => SummaryEvents.Graph(list, wall));
    }

    /// <summary>Blocks until everything logged so far is in the file.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        _writer.Dispose();
    }

    private void DisposeAtExit()
    {
        // An exception thrown from a ProcessExit handler is lost with the process: say what was not written.
        try { Dispose(); }
        catch (IOException e) { Console.Error.WriteLine("GpuTrain: " + e.Message); }
    }

    private static double Now() => (DateTime.UtcNow - UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static void RequireTag(string tag)
    {
        if (string.IsNullOrEmpty(tag)) throw new ArgumentException("summary tag must not be empty", nameof(tag));
    }
}
