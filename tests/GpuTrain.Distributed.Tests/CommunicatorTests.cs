using System.Globalization;
using GpuTrain.Runtime.Distributed;

namespace GpuTrain.Distributed.Tests;

/// <summary>
/// The MPI binding: collectives over 2 ranks against values computed here, a failing rank ending the
/// job with its error, a launcher/library mismatch refused, and nothing MPI outside a launcher.
/// </summary>
public sealed class CommunicatorTests
{
    private const string Probe = "gputrain-mpi-probe.dll";

    [MpiFact]
    public void TwoRanksSumBroadcastGatherAndReduce()
    {
        var r = MpiRun.Run(2, Probe, ["collectives"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        // Rank r holds (r + 1) * (i % 1000); the sum over 2 ranks is 3 * (i % 1000), checksummed with weights 1 + i % 7.
        double expected = 0;
        for (int i = 0; i < 3_000_000; i++) expected += 3f * (i % 1000) * (double)(1 + i % 7);
        string sum = expected.ToString("R", CultureInfo.InvariantCulture);
        Assert.Contains($"rank 0 of 2: sum-checksum {sum} doubles 2,2 broadcast 1234567890123 gathered a,bb min 0 max 1", r.Stdout);
        Assert.Contains($"rank 1 of 2: sum-checksum {sum} doubles 2,2 broadcast 1234567890123 gathered - min 0 max 1", r.Stdout);
    }

    [MpiFact]
    public void AFailingRankEndsTheJobWithItsError()
    {
        // Rank 0 waits in a barrier that rank 1 never reaches: without the abort the job would hang.
        var r = MpiRun.Run(2, Probe, ["fail"], timeoutSeconds: 60);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: rank 1 of 2: probe failure on purpose", r.Stderr);
        Assert.DoesNotContain("passed the barrier", r.Stdout);
    }

    [MpiFact]
    public void ALauncherWhoseLibraryDoesNotSeeTheJobIsRefused()
    {
        // The launcher's variable says 2 processes, but the library starts alone: "rank 0 of 1".
        var r = MpiRun.RunAlone(Probe, ["collectives"], new Dictionary<string, string> { ["OMPI_COMM_WORLD_SIZE"] = "2" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("started 2 processes (OMPI_COMM_WORLD_SIZE=2)", r.Stderr);
        Assert.Contains("sees this one as rank 0 of 1", r.Stderr);
        Assert.DoesNotContain("sum-checksum", r.Stdout);
    }

    [MpiFact]
    public void ADeadlineThatIsNotANumberOfSecondsIsOneClearErrorBeforeMpiStarts()
    {
        using var p = MpiRun.Start(2, Probe, ["collectives"], environment: new Dictionary<string, string> { ["GPUTRAIN_MPI_TIMEOUT"] = "ten" });
        var r = MpiRun.Wait(p, timeoutSeconds: 60);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: GPUTRAIN_MPI_TIMEOUT=ten is not a positive number of seconds", r.Stderr);
        Assert.DoesNotContain("sum-checksum", r.Stdout);
    }

    [Fact]
    public void ABadLauncherVariableIsOneClearError()
    {
        var r = MpiRun.RunAlone(Probe, ["collectives"], new Dictionary<string, string> { ["PMI_SIZE"] = "two" });
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: the launcher's PMI_SIZE=two is not a process count", r.Stderr.Trim());
    }

    [Fact]
    public void TrainUnderABadLauncherVariableIsOneClearError()
    {
        var r = MpiRun.RunAlone("gputrain.dll", ["train", "ptb-lstm", "--steps", "1"], new Dictionary<string, string> { ["PMI_SIZE"] = "two" });
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: the launcher's PMI_SIZE=two is not a process count", r.Stderr.Trim());
        Assert.DoesNotContain("device:", r.Stdout);
    }

    [Fact]
    public void OutsideALauncherTheWorldIsOneProcessAndNoMpiIsLoaded()
    {
        Assert.False(Communicator.UnderLauncher, "the test host itself must not run under mpirun");
        var world = Communicator.World;
        Assert.Equal((0, 1, true, false), (world.Rank, world.Size, world.IsRoot, world.IsDistributed));
        var data = new float[] { 1.5f, -2f };
        world.AllreduceSum(data);
        Assert.Equal([1.5f, -2f], data);
        var gathered = world.Gather([7, 8]);
        Assert.NotNull(gathered);
        Assert.Equal([7, 8], Assert.Single(gathered));
        Assert.Equal(5, world.Max(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Broadcast<float>(data, root: 1));
        Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), line => line.Contains("libmpi", StringComparison.Ordinal));
    }
}
