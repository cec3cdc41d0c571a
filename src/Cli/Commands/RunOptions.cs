using System.CommandLine;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Distributed;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// The options every <c>gputrain train MODEL</c> command shares: device, seed, TensorBoard and
/// checkpoint folders, tf.train.Saver's retention policy, resume and the JSON summary. Each model's
/// command adds its own hyper-parameters next to these.
/// </summary>
public sealed class RunOptions
{
    private readonly Option<string> _device = DeviceOption.Create();
    private readonly Option<ulong> _seed = new("--seed") { Description = "seed of initialization, shuffling, dropout and sampling", DefaultValueFactory = _ => 1UL };
    private readonly Option<string?> _summaryJson = new("--summary-json") { Description = "write the run's summary (steps, final loss, metric, throughput) to this JSON file" };
    private readonly Option<string?> _logdir = new("--logdir") { Description = "TensorBoard log folder (default: a new runs/MODEL-DATE-TIME)" };
    private readonly Option<string?> _checkpointDir = new("--checkpoint-dir") { Description = "checkpoint folder (default: the log folder)" };
    // The writer lock of this process's run: referenced here so that it lives (and the folder stays
    // locked) until the process ends, when the kernel releases it.
    private static readonly List<CheckpointFolderLock> HeldLocks = [];

    private readonly Option<int> _saveEvery;
    private readonly Option<int> _histogramEvery;
    private readonly Option<int> _maxToKeep = new("--max-to-keep") { Description = "checkpoints to keep (older ones are deleted)", DefaultValueFactory = _ => 5 };
    private readonly Option<double> _keepEveryHours = new("--keep-every-hours") { Description = "also keep one checkpoint every H hours", DefaultValueFactory = _ => 10000.0 };
    private readonly Option<int> _shards = new("--shards") { Description = "data shards per checkpoint", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _resume = new("--resume") { Description = "continue from the latest checkpoint of --checkpoint-dir (default: the newest run of this model)" };
    private readonly Option<string?> _from = new("--from") { Description = "resume from this checkpoint (a prefix or .index) rather than the folder's newest: a deliberate branch from its step; implies --resume" };

    /// <summary>The shared options, with the model's defaults for --save-every and --histogram-every.</summary>
    public RunOptions(int defaultSaveEvery, int defaultHistogramEvery)
    {
        _saveEvery = new("--save-every") { Description = "save a checkpoint every N steps (0: only at the end)", DefaultValueFactory = _ => defaultSaveEvery };
        _histogramEvery = new("--histogram-every") { Description = "log TensorBoard histograms of the parameters (and dense gradients) every N steps (0: never)", DefaultValueFactory = _ => defaultHistogramEvery };
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _device, _seed, _summaryJson, _logdir, _checkpointDir, _saveEvery, _histogramEvery, _maxToKeep, _keepEveryHours, _shards, _resume, _from })
            command.Options.Add(option);
    }

    /// <summary>
    /// The flag behind a library parameter (<see cref="ArgumentException.ParamName"/>), so a library
    /// error is reported under the option the user typed; null for parameters no option sets.
    /// </summary>
    public static string? FlagOf(string parameter) => parameter switch
    {
        "spec" => "--device",
        "options.NumShards" or "numShards" => "--shards",
        "options.MaxToKeep" => "--max-to-keep",
        "options.KeepCheckpointEveryNHours" => "--keep-every-hours",
        "vocabularySize" => "--vocab-size",
        "embeddingSize" => "--embedding-size",
        "batchSize" => "--batch-size",
        "skipWindow" => "--skip-window",
        "numSkips" => "--num-skips",
        "options.NumSampled" => "--num-sampled",
        _ => null,
    };

    /// <summary>
    /// Reads the options for a run of <paramref name="model"/>, resolving its folders. Every value is
    /// checked here, before any data is loaded or any step is trained: a bad one must not cost a run.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range, or an output path cannot be used.</exception>
    public RunSettings Read(ParseResult parse, string model)
    {
        int saveEvery = parse.GetValue(_saveEvery);
        if (saveEvery < 0) throw new ArgumentException($"--save-every must not be negative; got {saveEvery}");
        int histogramEvery = parse.GetValue(_histogramEvery);
        if (histogramEvery < 0) throw new ArgumentException($"--histogram-every must not be negative; got {histogramEvery}");
        int maxToKeep = parse.GetValue(_maxToKeep);
        if (maxToKeep < 0) throw new ArgumentException($"--max-to-keep must not be negative (0 keeps every checkpoint); got {maxToKeep}");
        double keepEveryHours = parse.GetValue(_keepEveryHours);
        if (!(keepEveryHours >= 0)) throw new ArgumentException($"--keep-every-hours must be a non-negative number of hours; got {keepEveryHours}");
        var world = Communicator.World;
        // Under mpirun every rank writes one shard of each checkpoint: the shard count is the rank count.
        if (world.IsDistributed && parse.GetResult(_shards) is { Implicit: false })
            throw new ArgumentException($"--shards cannot be used under mpirun: each of the {world.Size} ranks writes one shard of every checkpoint");
        int shards = parse.GetValue(_shards);
        if (shards is < 1 or > SaverOptions.MaxShards)
            throw new ArgumentException($"--shards must be between 1 and {SaverOptions.MaxShards} (TensorFlow's 5-digit shard names); got {shards}");
        string? from = parse.GetValue(_from);
        if (from is not null && !File.Exists(BundleNaming.IndexFile(BundleNaming.PrefixOf(from))))
            throw new ArgumentException($"--from '{from}': no checkpoint there ({BundleNaming.IndexFile(BundleNaming.PrefixOf(from))} does not exist)");
        bool resume = parse.GetValue(_resume) || from is not null;
        string? logdir = parse.GetValue(_logdir), checkpointDir = parse.GetValue(_checkpointDir), summaryJson = parse.GetValue(_summaryJson);
        RefuseFile("--logdir", logdir);
        RefuseFile("--checkpoint-dir", checkpointDir);
        if (summaryJson is not null) CheckOutputFile("--summary-json", summaryJson);
        string runs = Path.Combine(Directory.GetCurrentDirectory(), "runs");
        // Rank 0 names the run's folder (a fresh one is named by the clock, which ranks read at different moments).
        string log = world.Broadcast(logdir ?? checkpointDir
            ?? (resume ? RunDirectory.Newest(runs, model) : null)
            ?? RunDirectory.Fresh(runs, model));
        var saver = new SaverOptions
        {
            MaxToKeep = maxToKeep,
            KeepCheckpointEveryNHours = keepEveryHours,
            NumShards = shards,
            RestoreFrom = from is null ? null : Path.GetFullPath(BundleNaming.PrefixOf(from)),
        };
        bool seedGiven = parse.GetResult(_seed) is { Implicit: false };
        // One writer per folder, decided before anything is restored, loaded or written; under mpirun
        // the job is the writer, and its rank 0 holds the lock.
        if (world.IsRoot) HeldLocks.Add(CheckpointFolderLock.Acquire(checkpointDir ?? log));
        return new RunSettings(model, parse.GetValue(_device)!, parse.GetValue(_seed), log, checkpointDir ?? log,
            saveEvery, histogramEvery, saver, resume, summaryJson) { SeedGiven = seedGiven };
    }

    // A folder option naming an existing file would fail only when the first file is written into it.
    private static void RefuseFile(string flag, string? folder)
    {
        if (folder is not null && File.Exists(folder))
            throw new ArgumentException($"{flag} '{folder}' is a file, not a folder");
    }

    // The summary is written after training: a path that cannot take it must be refused before.
    private static void CheckOutputFile(string flag, string path)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"{flag} '{path}' is a folder; give the path of the JSON file to write");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
            throw new ArgumentException($"{flag} '{path}': its folder {folder} does not exist");
    }
}
