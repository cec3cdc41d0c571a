namespace GpuTrain.Distributed.Tests;

/// <summary>A fact that starts jobs with mpirun; skipped, with the reason, where mpirun is absent.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when mpirun is missing.</summary>
    public MpiFactAttribute()
    {
        if (MpiRun.MissingReason is not null) Skip = MpiRun.MissingReason;
    }
}
