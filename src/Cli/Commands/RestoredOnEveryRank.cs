using GpuTrain.Runtime.Distributed;

namespace GpuTrain.Cli.Commands;

/// <summary>The check after a data-parallel resume: every rank restored the same checkpoint.</summary>
internal static class RestoredOnEveryRank
{
    /// <summary>Checks by checksum that every rank holds the state restored from <paramref name="restored"/>, says so under mpirun, and returns the prefix.</summary>
    public static string Verified(DataParallel parallel, string restored)
    {
        ulong checksum = parallel.VerifyRestored(restored);
        if (Communicator.World.IsDistributed) Console.WriteLine($"data-parallel: every rank restored {restored} (checksum {checksum:x16})");
        return restored;
    }
}
