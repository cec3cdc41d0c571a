namespace GpuTrain.Persistence.Saving;

/// <summary>How one background save ended.</summary>
/// <param name="Step">The global step it saved.</param>
/// <param name="Prefix">The checkpoint written, or null when the save failed.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="WriteMs">Serializing, writing, syncing and committing, in the background.</param>
/// <param name="Bytes">Tensor bytes in the checkpoint.</param>
public sealed record SaveOutcome(long Step, string? Prefix, Exception? Error, double WriteMs, long Bytes)
{
    /// <summary>True when the checkpoint was written and committed.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Write throughput in MB/s (0 for a failed save).</summary>
    public double MegabytesPerSecond => Succeeded && WriteMs > 0 ? Bytes / 1e6 / (WriteMs / 1000) : 0;
}
