using GpuTrain.Persistence.Bundle;

namespace GpuTrain.Persistence.Saving;

/// <summary>
/// Writes one checkpoint's bundle (data files, then the index) for a <see cref="Saver"/>; the saver
/// commits it with the state file afterwards. The default is <see cref="TensorBundleWriter"/> in this
/// process; <see cref="Sharding.ShardedBundleWriter"/> spreads the data files over the ranks of a job.
/// </summary>
public interface IBundleWriter
{
    /// <summary>Writes <paramref name="tensors"/> as the bundle <paramref name="prefix"/>, durably, index last.</summary>
    /// <exception cref="IOException">The bundle was not written; no index names it.</exception>
    void Write(string prefix, IReadOnlyList<BundleTensor> tensors);
}
