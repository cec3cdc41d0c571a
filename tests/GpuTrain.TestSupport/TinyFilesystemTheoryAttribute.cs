namespace GpuTrain.TestSupport;

/// <summary>A theory that needs ../shared and a mountable tmpfs; skipped, with the reason, where either is missing.</summary>
public sealed class TinyFilesystemTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when a requirement is missing.</summary>
    public TinyFilesystemTheoryAttribute()
    {
        if (SharedDir.Path is null) Skip = SharedDir.MissingReason;
        else if (TinyFilesystem.UnavailableReason is { } reason) Skip = reason;
    }
}
