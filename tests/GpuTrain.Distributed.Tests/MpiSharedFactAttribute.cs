using GpuTrain.TestSupport;

namespace GpuTrain.Distributed.Tests;

/// <summary>A fact that starts jobs with mpirun and checks files with ../shared's checker; skipped, with the reason, where either is absent.</summary>
public sealed class MpiSharedFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when mpirun or the shared folder is missing.</summary>
    public MpiSharedFactAttribute()
    {
        if (MpiRun.MissingReason is not null) Skip = MpiRun.MissingReason;
        else if (SharedDir.Path is null) Skip = SharedDir.MissingReason;
    }
}
