namespace GpuTrain.Persistence.State;

/// <summary>One checkpoint found in a folder by its own <c>.index</c> file.</summary>
/// <param name="Prefix">Its full prefix, inside the folder.</param>
/// <param name="Step">The global step its name ends with (<c>model.ckpt-1500</c>), or null for a name without one.</param>
/// <param name="WriteTime">Unix seconds of its index file's last write.</param>
public sealed record FolderCheckpoint(string Prefix, long? Step, double WriteTime)
{
    /// <summary>Its name without the step (<c>model.ckpt</c> of <c>model.ckpt-1500</c>).</summary>
    public string BaseName => CheckpointFolder.BaseNameOf(Prefix);
}
