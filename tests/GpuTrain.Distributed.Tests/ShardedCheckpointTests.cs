using GpuTrain.Distributed.Probe;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.State;
using GpuTrain.TestSupport;

namespace GpuTrain.Distributed.Tests;

/// <summary>
/// One checkpoint across ranks, in real processes under mpirun: written by 2 ranks (a data file
/// each, rank 0 the index and state file), it passes the checker and restores in one process and in
/// 3 ranks; a one-process checkpoint restores in 2 ranks; a rank that never joins a save ends the job
/// at the collective deadline and the last committed checkpoint stays. Restores are checked by a hash
/// of every byte.
/// </summary>
public sealed class ShardedCheckpointTests : IDisposable
{
    private const string Probe = "gputrain-mpi-probe.dll";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Expected(long step) => ProbeVariables.Checksum(ProbeVariables.Create(step)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    [MpiSharedFact]
    public void TwoRanksWriteOneCheckpointThatOneProcessAndThreeRanksRestore()
    {
        var save = MpiRun.Run(2, Probe, ["save", _dir.Path, "7"]);
        Assert.True(save.ExitCode == 0, save.ToString());
        string prefix = _dir.Combine("model.ckpt-7");
        Assert.Contains($"rank 1 of 2: saved {prefix}", save.Stdout);
        Assert.True(File.Exists(BundleNaming.DataFile(prefix, 0, 2)) && File.Exists(BundleNaming.DataFile(prefix, 1, 2)), save.ToString());
        Assert.Equal(prefix, CheckpointStateFile.LatestCheckpoint(_dir.Path));
        TfCheck.AssertClean("ckpt", prefix);

        var alone = ProbeVariables.Create(0);
        Assert.Equal(prefix, new Saver(alone).RestoreLatest(_dir.Path));
        Assert.Equal(Expected(7), ProbeVariables.Checksum(alone).ToString("x16", System.Globalization.CultureInfo.InvariantCulture));

        var restore = MpiRun.Run(3, Probe, ["restore", _dir.Path]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        for (int rank = 0; rank < 3; rank++)
            Assert.Contains($"rank {rank} of 3: restored {prefix} step 7 checksum {Expected(7)}", restore.Stdout);
    }

    [MpiFact]
    public void AOneProcessCheckpointRestoresInTwoRanks()
    {
        string prefix = new Saver(ProbeVariables.Create(9)).Save(_dir.Combine("model.ckpt"), 9);
        var restore = MpiRun.Run(2, Probe, ["restore", _dir.Path]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        for (int rank = 0; rank < 2; rank++)
            Assert.Contains($"rank {rank} of 2: restored {prefix} step 9 checksum {Expected(9)}", restore.Stdout);
    }

    [MpiSharedFact]
    public void ASaveThatARankNeverJoinsEndsTheJobAtTheDeadlineAndKeepsTheLastCheckpoint()
    {
        using var p = MpiRun.Start(2, Probe, ["stall-save", _dir.Path], environment: new Dictionary<string, string> { ["GPUTRAIN_MPI_TIMEOUT"] = "3" });
        var r = MpiRun.Wait(p, timeoutSeconds: 90);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("rank 0 of 2: saved step 1", r.Stdout);
        Assert.DoesNotContain("without rank 1", r.Stdout);
        Assert.Matches(
            @"error: rank 0 of 2: no answer from the other ranks for \d+ s in a checkpoint save's shard gather and commit \(MPI_(Bcast|Gather|Gatherv)\) \(a rank died or hangs; limit 3 s, set by GPUTRAIN_MPI_TIMEOUT\); ending the job",
            r.Stderr);
        string prefix = _dir.Combine("model.ckpt-1");
        Assert.Equal(prefix, CheckpointStateFile.LatestCheckpoint(_dir.Path));
        TfCheck.AssertClean("ckpt", prefix);
        TfCheck.AssertClean("state", _dir.Path);
        var restored = ProbeVariables.Create(0);
        Assert.Equal(prefix, new Saver(restored).RestoreLatest(_dir.Path));
        Assert.Equal(Expected(1), ProbeVariables.Checksum(restored).ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }
}
