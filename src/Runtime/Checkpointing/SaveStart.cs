using GpuTrain.Persistence.Saving;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>What starting a background save cost the training thread.</summary>
/// <param name="Step">The step being saved.</param>
/// <param name="StallMs">Time the training thread was held at the save: waiting plus starting the copy
/// (what is left of the copy when the next update begins is <see cref="Checkpoint.CaptureWaitMs"/>).</param>
/// <param name="WaitMs">Waiting for the previous save to finish writing (back-pressure; 0 when it had).</param>
/// <param name="CopyMs">Waiting for the device's queued work and starting the copies of the arenas into the page-locked staging buffers.</param>
/// <param name="Previous">How the previous save ended, if it ended since the last report.</param>
public sealed record SaveStart(long Step, double StallMs, double WaitMs, double CopyMs, SaveOutcome? Previous);
