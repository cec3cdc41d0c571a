namespace GpuTrain.Logging.Reading;

/// <summary>One scalar value read back from an event file.</summary>
/// <param name="Step">The global step.</param>
/// <param name="WallTime">Unix seconds when it was logged.</param>
/// <param name="Tag">The summary tag.</param>
/// <param name="Value">The value (a float32 widened to double, as TensorBoard shows it).</param>
/// <param name="Run">The run: the event file's folder relative to the log folder loaded ("" for the log folder itself).</param>
public readonly record struct ScalarPoint(long Step, double WallTime, string Tag, double Value, string Run = "")
{
    /// <summary>"run/tag", or the bare tag for the log folder's own run: how one line is labelled when runs are mixed.</summary>
    public string RunAndTag => Run.Length == 0 ? Tag : Run + "/" + Tag;
}
