namespace GpuTrain.TestSupport;

/// <summary>A theory that needs ../shared; skipped, with the reason, where it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when the shared folder is missing.</summary>
    public SharedTheoryAttribute()
    {
        if (SharedDir.Path is null) Skip = SharedDir.MissingReason;
    }
}
