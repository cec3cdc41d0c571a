using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.State;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// A hostile or stale state file cannot turn --resume against other folders or against the run's own
/// newer checkpoints; a resume that would branch from an older step needs --from.
/// </summary>
public sealed class ConfinedResumeTests
{
    private static CliRunner.Result Train(string folder, int steps, params string[] more) =>
        CliRunner.Run(["train", "mnist-mlp", "--device", "cpu", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save-every", "10", "--eval-every", "0", "--histogram-every", "0", "--logdir", folder, .. more]);

    private static List<string> Contents(string folder) =>
        Directory.GetFiles(folder).Order().Select(f => f + ":" + Convert.ToHexString(File.ReadAllBytes(f))).ToList();

    [SharedFact]
    public void AStateFileNamingAnotherRunsCheckpointsTouchesNoneOfThem()
    {
        using var dir = new TempDir();
        string victim = dir.Combine("victim"), run = dir.Combine("run");
        Assert.Equal(0, Train(victim, 30).ExitCode);
        Assert.Equal(0, Train(run, 20).ExitCode);
        var victimBefore = Contents(victim);
        File.WriteAllText(Path.Combine(run, "checkpoint"),
            $"model_checkpoint_path: \"../victim/model.ckpt-30\"\nall_model_checkpoint_paths: \"../victim/model.ckpt-10\"\n" +
            $"all_model_checkpoint_paths: \"{Path.Combine(victim, "model.ckpt-20")}\"\nall_model_checkpoint_paths: \"../victim/model.ckpt-30\"\n");

        var resumed = Train(run, 50, "--resume", "--max-to-keep", "2");

        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains($"resume: restored {Path.Combine(run, "model.ckpt-20")} at step 20", resumed.Stdout);
        Assert.Contains("which is outside", resumed.Stdout);
        Assert.Equal(victimBefore, Contents(victim));
        Assert.Equal(["model.ckpt-40.index", "model.ckpt-50.index"], Directory.GetFiles(run, "*.index").Select(Path.GetFileName).Order());
        TfCheck.AssertClean("state", run);
        Assert.Equal(Path.Combine(run, "model.ckpt-50"), CheckpointStateFile.LatestCheckpoint(run));
    }

    [SharedFact]
    public void ADamagedNewestCheckpointIsKeptAndBranchingFromAnOlderOneNeedsFrom()
    {
        using var dir = new TempDir();
        string run = dir.Combine("run");
        Assert.Equal(0, Train(run, 30).ExitCode);
        string damaged = BundleNaming.DataFile(Path.Combine(run, "model.ckpt-30"), 0, 1);
        byte[] bytes = File.ReadAllBytes(damaged);
        bytes[100] ^= 0x01;
        File.WriteAllBytes(damaged, bytes);

        var refused = Train(run, 40, "--resume");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("model.ckpt-30 cannot be restored", refused.Stdout);
        Assert.Contains($"pass --from {Path.Combine(run, "model.ckpt-20")}", refused.Stderr);
        Assert.DoesNotContain("step 21", refused.Stdout);

        var branched = Train(run, 40, "--from", Path.Combine(run, "model.ckpt-20"));
        Assert.True(branched.ExitCode == 0, branched.Stdout + branched.Stderr);
        Assert.Contains("branching from step 20", branched.Stdout);
        Assert.Contains("kept, not overwritten", branched.Stdout); // the save at step 30 did not replace it
        Assert.Equal(bytes, File.ReadAllBytes(damaged));
        TfCheck.AssertClean("ckpt", Path.Combine(run, "model.ckpt-40"));
    }
}
