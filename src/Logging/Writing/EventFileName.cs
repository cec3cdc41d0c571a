namespace GpuTrain.Logging.Writing;

/// <summary>
/// Names event files <c>events.out.tfevents.&lt;10-digit unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;</c> like
/// TensorBoard's own EventFileWriter; n counts files opened by this process so two writers opened in the
/// same second never share a file. TensorBoard reads a run's files in name order, which is creation order:
/// n is zero-padded so that file 10 does not sort before file 9 of the same second.
/// </summary>
internal static class EventFileName
{
    private static int _counter;

    /// <summary>A fresh file name (no folder) for a writer created at <paramref name="now"/>.</summary>
    public static string Create(DateTimeOffset now)
    {
        int n = Interlocked.Increment(ref _counter);
        return $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}.{Environment.ProcessId}.{n:D6}";
    }

    /// <summary>Event files under <paramref name="path"/> (itself if a file), in the order TensorBoard reads them.</summary>
    public static IReadOnlyList<string> Find(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"log directory not found: {path}");
        // Basename containing "tfevents" is TensorBoard's own test (io_wrapper.IsTensorFlowEventsFile).
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => System.IO.Path.GetFileName(f).Contains("tfevents", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
