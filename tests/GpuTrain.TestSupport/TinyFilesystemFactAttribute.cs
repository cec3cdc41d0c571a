namespace GpuTrain.TestSupport;

/// <summary>A fact that needs ../shared and a mountable tmpfs; skipped, with the reason, where either is missing.</summary>
public sealed class TinyFilesystemFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when a requirement is missing.</summary>
    public TinyFilesystemFactAttribute()
    {
        if (SharedDir.Path is null) Skip = SharedDir.MissingReason;
        else if (TinyFilesystem.UnavailableReason is { } reason) Skip = reason;
    }
}
