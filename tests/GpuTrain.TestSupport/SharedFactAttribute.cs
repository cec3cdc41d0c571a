namespace GpuTrain.TestSupport;

/// <summary>A fact that needs ../shared; skipped, with the reason, where it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when the shared folder is missing.</summary>
    public SharedFactAttribute()
    {
        if (SharedDir.Path is null) Skip = SharedDir.MissingReason;
    }
}
