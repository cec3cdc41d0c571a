namespace GpuTrain.Logging.Reading;

/// <summary>One scalar value read back from an event file.</summary>
/// <param name="Step">The global step.</param>
/// <param name="WallTime">Unix seconds when it was logged.</param>
/// <param name="Tag">The summary tag.</param>
/// <param name="Value">The value (a float32 widened to double, as TensorBoard shows it).</param>
public readonly record struct ScalarPoint(long Step, double WallTime, string Tag, double Value);
