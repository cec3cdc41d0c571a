using System.Diagnostics;
using GpuTrain.Logging.Reading;
using GpuTrain.Logging.Records;
using GpuTrain.Persistence.State;
using GpuTrain.TestSupport;
using Xunit.Abstractions;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// Crash safety: a training run saving every step is SIGKILLed at random moments, over and over,
/// each time resumed from its latest checkpoint. After every kill the latest checkpoint must pass the
/// independent checker and the next run must resume from it. Histograms are logged every step, so
/// some kills land inside the event writer's flush: the next run cuts such a half-written last record,
/// and every event file passes the checker at the end. (scripts/kill-test.sh runs more kills.)
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Kills = 20;

    [SharedFact]
    public void TwentySigkillsAtRandomMomentsNeverLoseTheLatestCheckpoint()
    {
        using var dir = new TempDir();
        var random = new Random(20261123);
        int intact = 0, lost = 0, duringSave = 0, duringLogWrite = 0;
        long lastStep = -1;
        string[] train = ["train", "mnist-mlp", "--device", "cpu", "--steps", "1000000", "--save-every", "1",
            "--max-to-keep", "3", "--eval-every", "0", "--histogram-every", "1", "--logdir", dir.Path, "--resume"];
        for (int kill = 0; kill < Kills; kill++)
        {
            using (var process = CliRunner.Start(train))
            {
                // Kill at a random moment after this run's first save has committed (startup takes
                // seconds, more on a loaded machine); from then on a save is written every step.
                WaitForNewState(dir.Path, process);
                Thread.Sleep(random.Next(0, 1500));
                process.Kill(); // SIGKILL on Linux
                process.WaitForExit();
            }
            if (Directory.EnumerateFiles(dir.Path, "*tempstate*").Any()) duringSave++;
            if (EndsInsideARecord(dir.Path)) duringLogWrite++;
            // The state file must name a checkpoint that exists, is complete and is no older than the last one.
            string? latest = CheckpointStateFile.LatestCheckpoint(dir.Path);
            long step = latest is null ? -1 : long.Parse(latest[(latest.LastIndexOf('-') + 1)..]);
            if (latest is not null && TfCheck.Run("ckpt", latest).Clean && step >= lastStep) intact++;
            else lost++;
            lastStep = Math.Max(lastStep, step);
        }
        output.WriteLine($"kills {Kills}, intact {intact}, lost {lost}, killed while a save was being written {duringSave}, " +
            $"while an event file was being written {duringLogWrite}");

        Assert.Equal(0, lost);
        Assert.Equal(Kills, intact);
        var resumed = CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", (lastStep + 5).ToString(),
            "--save-every", "0", "--eval-every", "0", "--logdir", dir.Path, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains($"at step {lastStep}", resumed.Stdout);
        TfCheck.AssertClean("ckpt", Path.Combine(dir.Path, $"model.ckpt-{lastStep + 5}"));
        foreach (string events in Directory.GetFiles(dir.Path, "*tfevents*")) TfCheck.AssertClean("events", events);
    }

    // True when the newest event file ends inside a record: the kill landed in the log writer's flush.
    private static bool EndsInsideARecord(string directory)
    {
        string newest = Directory.GetFiles(directory, "*tfevents*").OrderBy(File.GetLastWriteTimeUtc).Last();
        try
        {
            foreach (var _ in EventFileReader.Read(newest))
            {
            }
            return false;
        }
        catch (TruncatedRecordException)
        {
            return true;
        }
    }

    private static void WaitForNewState(string directory, Process process)
    {
        string state = Path.Combine(directory, CheckpointStateFile.DefaultName);
        var before = File.Exists(state) ? File.GetLastWriteTimeUtc(state) : DateTime.MinValue;
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(state) && File.GetLastWriteTimeUtc(state) > before))
        {
            if (process.HasExited) throw new InvalidOperationException($"the training run exited with {process.ExitCode} before saving");
            if (deadline.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException("no checkpoint within 120 s of starting");
            Thread.Sleep(20);
        }
    }
}
