using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.State;

namespace GpuTrain.Cli.Commands;

/// <summary>The values of <see cref="RunOptions"/> for one training run.</summary>
/// <param name="Model">The model's name (mnist-cnn, ...), used for default folder names.</param>
/// <param name="Device">The --device specification.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="LogDir">The TensorBoard log folder.</param>
/// <param name="CheckpointDir">The checkpoint folder.</param>
/// <param name="SaveEvery">Save period in steps (0: only at the end).</param>
/// <param name="HistogramEvery">Histogram period in steps (0: never).</param>
/// <param name="Saver">Retention and sharding of checkpoints.</param>
/// <param name="Resume">Continue from the latest checkpoint.</param>
/// <param name="SummaryJson">Where to write the JSON summary, if anywhere.</param>
public sealed record RunSettings(string Model, string Device, ulong Seed, string LogDir, string CheckpointDir,
    int SaveEvery, int HistogramEvery, SaverOptions Saver, bool Resume, string? SummaryJson)
{
    /// <summary>True when --seed was given on the command line rather than defaulted.</summary>
    public bool SeedGiven { get; init; }

    /// <summary>The prefix checkpoints are saved under (<c>CHECKPOINT_DIR/model.ckpt</c>).</summary>
    public string CheckpointPrefix => Path.Combine(CheckpointDir, "model.ckpt");

    /// <summary>Prints a line of the restore's fallback (a damaged checkpoint skipped) for the user.</summary>
    public static void ReportResume(string line) => Console.WriteLine("resume: " + line);

    /// <summary>
    /// With <see cref="Resume"/>, restores through <paramref name="restoreLatest"/> (which returns the
    /// restored prefix or null) and reports; without it, refuses a checkpoint folder that already holds
    /// checkpoints, so nothing saved is ever overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">Checkpoints exist and --resume was not given.</exception>
    public void ResumeOrRefuse(Func<string, string?> restoreLatest, Func<long> globalStep)
    {
        if (Resume)
        {
            string? restored = Directory.Exists(CheckpointDir) || Saver.RestoreFrom is not null ? restoreLatest(CheckpointDir) : null;
            Console.WriteLine(restored is null
                ? $"resume: no checkpoint in {CheckpointDir}; starting fresh"
                : $"resume: restored {restored} at step {globalStep()}");
            RefuseUnaskedBranch(restored, globalStep());
            // The checkpoint holds the weights and the data cursor; the seed keys only the draws still
            // to come, so a given --seed changes them from here on, and the user must know that.
            if (restored is not null && SeedGiven)
                Console.WriteLine($"resume: --seed {Seed} applies to the random draws from step {globalStep()} on (dropout masks, sampled candidates and context words); the weights and the data position come from the checkpoint");
        }
        else if (Directory.Exists(CheckpointDir) && Directory.EnumerateFiles(CheckpointDir, "*.index").Any())
        {
            throw new ArgumentException(
                $"--checkpoint-dir '{CheckpointDir}' already holds checkpoints; pass --resume to continue them or choose another folder");
        }
        Console.WriteLine($"logs: {LogDir} (tensorboard --logdir {LogDir}); checkpoints: {CheckpointDir}");
    }

    // Resuming from an older checkpoint than the folder's newest (which could not be restored) would
    // train over the steps the newer one holds: only an explicit --from may do that, and the newer
    // checkpoints stay as they are either way.
    private void RefuseUnaskedBranch(string? restored, long step)
    {
        if (restored is null || CheckpointFolder.Read(CheckpointDir).Newest is not { } newest || newest.Prefix == restored) return;
        if (Saver.RestoreFrom is null)
        {
            throw new ArgumentException(
                $"resuming from {restored} (step {step}) would branch from an older step than {newest.Prefix}, which cannot be restored (see above) " +
                $"and is kept as it is; pass --from {restored} to branch from step {step}, or move the damaged checkpoint away");
        }
        Console.WriteLine($"resume: branching from step {step}; the newer checkpoints (up to {newest.Prefix}) are kept and never overwritten");
    }
}
