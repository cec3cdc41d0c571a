using GpuTrain.Persistence.Saving;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>What starting a background save cost the training thread.</summary>
/// <param name="Step">The step being saved.</param>
/// <param name="StallMs">Total time the training thread was held: waiting plus copying.</param>
/// <param name="WaitMs">Waiting for the previous save to finish writing (back-pressure; 0 when it had).</param>
/// <param name="CopyMs">Copying the arenas into the page-locked staging buffers.</param>
/// <param name="Previous">How the previous save ended, if it ended since the last report.</param>
public sealed record SaveStart(long Step, double StallMs, double WaitMs, double CopyMs, SaveOutcome? Previous);
