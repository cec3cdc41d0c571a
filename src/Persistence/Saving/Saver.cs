using System.Globalization;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Variables;

namespace GpuTrain.Persistence.Saving;

/// <summary>
/// tf.train.Saver for GpuTrain variables: <c>Save(path, step)</c> writes <c>path-step</c>, updates the
/// state file and deletes checkpoints beyond <see cref="SaverOptions.MaxToKeep"/> unless the
/// keep-every-N-hours rule preserves them. Commit order is crash-safe: bundle (data, then index), then
/// the state file, then deletions. A folder is a confined unit (<see cref="CheckpointFolder"/>): the
/// saver adopts, rotates and deletes only checkpoints inside it, decided by its own files (the state
/// file advises, and is rewritten from them at the next save), so retention carries on after a restore.
/// Checkpoints newer than the one restored are never overwritten or deleted.
/// </summary>
public sealed class Saver
{
    private readonly IReadOnlyDictionary<string, ICheckpointVariable> _variables;
    private readonly SaverOptions _options;
    private readonly TimeProvider _clock;
    private readonly List<(string Prefix, double Time)> _kept = [];
    private readonly List<(string Prefix, double Time)> _toDelete = [];
    private readonly Dictionary<string, byte[]> _buffers = [];
    private double _nextPreserveTime;
    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);
    private double? _lastPreserved;
    private string? _directory;
    private string? _cleaned;
    private long? _restoredStep;

    /// <summary>A saver of <paramref name="variables"/> under their own names.</summary>
    public Saver(IEnumerable<ICheckpointVariable> variables, SaverOptions? options = null, TimeProvider? clock = null)
        : this(VariableMap.ByName(variables), options, clock)
    {
    }

    /// <summary>A saver with an explicit checkpoint-name -> variable map.</summary>
    /// <param name="variables">Checkpoint key of each variable.</param>
    /// <param name="options">Retention and naming; TF's defaults when null.</param>
    /// <param name="clock">Time source for timestamps and the keep-every-N-hours rule (injectable for tests).</param>
    public Saver(IReadOnlyDictionary<string, ICheckpointVariable> variables, SaverOptions? options = null, TimeProvider? clock = null)
    {
        _variables = variables;
        _options = options ?? new SaverOptions();
        CheckOptions(_options, variables.Count);
        _clock = clock ?? TimeProvider.System;
        _nextPreserveTime = Now() + _options.KeepCheckpointEveryNHours * 3600;
    }

    /// <summary>
    /// Writes each checkpoint's bundle in place of <see cref="TensorBundleWriter"/> with
    /// <see cref="SaverOptions.NumShards"/> files (e.g. a <see cref="Sharding.ShardedBundleWriter"/>, one file per rank).
    /// </summary>
    public IBundleWriter? BundleWriter { get; init; }

    /// <summary>Tensor bytes of one checkpoint of these variables.</summary>
    public long TotalBytes => _variables.Sum(kv => TensorShapes.ElementCount(kv.Value.Shape, kv.Key) * DTypeInfo.ElementSize(kv.Value.DType));

    /// <summary>The checkpoints the saver currently keeps in rotation, oldest first (full prefixes).</summary>
    public IReadOnlyList<string> LastCheckpoints => _kept.Select(k => k.Prefix).ToList();

    /// <summary>Saves all variables to <c>savePath-step</c> (or <paramref name="savePath"/> with no step).</summary>
    /// <returns>The checkpoint prefix written.</returns>
    public string Save(string savePath, long? globalStep = null)
    {
        string prefix = Path.GetFullPath(globalStep is { } step
            ? savePath + "-" + step.ToString(_options.PadStepNumber ? "D8" : "D", CultureInfo.InvariantCulture)
            : savePath);
        string directory = Path.GetDirectoryName(prefix)!;
        AdoptDirectory(directory, CheckpointFolder.BaseNameOf(prefix));
        if (_cleaned != directory)
        {
            RemoveAbandonedTemporaries(directory);
            _cleaned = directory;
        }
        if (File.Exists(BundleNaming.IndexFile(prefix)) && !_owned.Contains(prefix))
            throw new IOException($"checkpoint {prefix} already exists and is newer than the one this run restored; it is kept, not overwritten");

        try
        {
            var tensors = CheckpointRestorer.Snapshot(_variables, Buffer);
            if (BundleWriter is { } writer) writer.Write(prefix, tensors);
            else TensorBundleWriter.Write(prefix, tensors, _options.NumShards);
        }
        catch (IOException)
        {
            // A failed write (disk full, I/O error) leaves no half checkpoint behind: drop what this
            // save wrote, unless the prefix is a checkpoint already kept (then nothing was replaced).
            if (!_kept.Any(k => k.Prefix == prefix)) DeleteQuietly(prefix);
            throw;
        }
        Record(prefix);
        var expired = TakeExpired();
        if (_options.WriteState) CheckpointStateFile.Write(directory, StateFor(directory, prefix), _options.LatestFilename);
        foreach (string old in expired) Delete(old);
        return prefix;
    }

    /// <summary>Restores every variable from the checkpoint <paramref name="prefix"/> (all or nothing).</summary>
    /// <remarks>Checkpoints of the same folder with a higher step are left alone from then on: never rotated, never overwritten.</remarks>
    public void Restore(string prefix)
    {
        string full = Path.GetFullPath(BundleNaming.PrefixOf(prefix));
        CheckpointRestorer.Restore(full, _variables);
        _restoredStep = CheckpointFolder.StepOf(full);
        _directory = null;
        AdoptDirectory(Path.GetDirectoryName(full)!, CheckpointFolder.BaseNameOf(full));
    }

    /// <summary>Restores from the newest checkpoint of <paramref name="directory"/>; returns its prefix, or null when there is none.</summary>
    public string? RestoreLatest(string directory)
    {
        string? latest = CheckpointStateFile.LatestCheckpoint(directory, _options.LatestFilename);
        if (latest is null) return null;
        Restore(latest);
        return latest;
    }

    /// <summary>
    /// Restores the newest checkpoint of <paramref name="directory"/> that is intact, decided by the
    /// folder's own files (highest step first); or exactly <see cref="SaverOptions.RestoreFrom"/> when it
    /// is set. A state file that is corrupt, points outside the folder or names another checkpoint than
    /// the newest is reported through <paramref name="report"/> and otherwise ignored; each checkpoint
    /// skipped (truncated, failing its checksums) is reported with the reason, and stays as it is.
    /// Returns the prefix restored, or null when the folder holds no checkpoint at all.
    /// </summary>
    /// <exception cref="InvalidDataException">Checkpoints exist but none of them can be restored.</exception>
    public string? RestoreNewestIntact(string directory, Action<string> report)
    {
        if (_options.RestoreFrom is { } from)
        {
            string chosen = Path.GetFullPath(BundleNaming.PrefixOf(from));
            Restore(chosen);
            return chosen;
        }
        var folder = CheckpointFolder.Read(directory, _options.LatestFilename);
        foreach (string warning in folder.Warnings) report(warning);
        string stateFile = Path.Combine(folder.Directory, _options.LatestFilename);
        if (folder.Newest is not { } newest)
        {
            if (folder.StateLatest is { } missing) report($"{stateFile} names {missing}, which does not exist");
            return null;
        }
        if (folder.StateLatest is { } named && named != newest.Prefix)
            report($"{stateFile} names {named} as the latest checkpoint, but the folder's newest is {newest.Prefix}; the folder's files decide (the state file is rewritten at the next save)");
        for (int i = folder.Checkpoints.Count - 1; i >= 0; i--)
        {
            string candidate = folder.Checkpoints[i].Prefix;
            try
            {
                Restore(candidate);
                return candidate;
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                report($"checkpoint {candidate} cannot be restored ({e.Message}); trying an older one");
            }
        }
        throw new InvalidDataException($"none of the {folder.Checkpoints.Count} checkpoints in {folder.Directory} can be restored");
    }

    // Each shard holds whole tensors, so a shard beyond the tensor count would be an empty file.
    private static void CheckOptions(SaverOptions options, int tensors)
    {
        int maxShards = Math.Min(SaverOptions.MaxShards, Math.Max(tensors, 1));
        if (options.NumShards < 1 || options.NumShards > maxShards)
            throw new ArgumentOutOfRangeException($"{nameof(options)}.{nameof(SaverOptions.NumShards)}", options.NumShards,
                $"a checkpoint of {tensors} tensors takes 1 to {maxShards} shards; got {options.NumShards}");
        if (options.MaxToKeep < 0)
            throw new ArgumentOutOfRangeException($"{nameof(options)}.{nameof(SaverOptions.MaxToKeep)}", options.MaxToKeep,
                $"must not be negative (0 keeps every checkpoint); got {options.MaxToKeep}");
        if (!(options.KeepCheckpointEveryNHours >= 0))
            throw new ArgumentOutOfRangeException($"{nameof(options)}.{nameof(SaverOptions.KeepCheckpointEveryNHours)}", options.KeepCheckpointEveryNHours,
                $"must be a non-negative number of hours; got {options.KeepCheckpointEveryNHours}");
    }

    // One array per tensor, reused by every save (saves run one at a time).
    private byte[] Buffer(string key, long bytes)
    {
        if (!_buffers.TryGetValue(key, out var data) || data.LongLength != bytes) _buffers[key] = data = new byte[bytes];
        return data;
    }

    private double Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    // On first use of a directory, take over its checkpoints (tf's recover_last_checkpoints), so
    // max_to_keep counts them and deletes them in turn: those the state file lists inside the folder,
    // and those of this saver's name that it does not list (a stale or hostile state file must not keep
    // them out of rotation), except, where the state file records a preserved one, those older than all
    // it lists: keep-every-N-hours preserved them. Checkpoints newer than a restored one always stay.
    // With the state file corrupt or missing, every checkpoint of this name is adopted.
    private void AdoptDirectory(string directory, string baseName)
    {
        if (_directory == directory) return;
        _directory = directory;
        _kept.Clear();
        _toDelete.Clear();
        _owned.Clear();
        var folder = CheckpointFolder.Read(directory, _options.LatestFilename);
        _lastPreserved = folder.State?.LastPreservedTimestamp;
        var listed = folder.Listed.ToDictionary(l => l.Prefix, l => l.Time, StringComparer.Ordinal);
        // Only a folder where keep-every-N-hours has preserved something can hold preserved checkpoints.
        long oldestListed = folder.State?.LastPreservedTimestamp is null
            ? -1 : folder.Listed.Select(l => CheckpointFolder.StepOf(l.Prefix) ?? -1).DefaultIfEmpty(-1).Min();
        foreach (var checkpoint in folder.Checkpoints)
        {
            if (checkpoint.Step > _restoredStep) continue;
            bool isListed = listed.TryGetValue(checkpoint.Prefix, out double? time);
            if (!isListed && (checkpoint.BaseName != baseName || (checkpoint.Step ?? -1) < oldestListed)) continue;
            _kept.Add((checkpoint.Prefix, time ?? checkpoint.WriteTime));
            _owned.Add(checkpoint.Prefix);
        }
    }

    // A process killed while writing leaves its AtomicFile temporaries (never part of a checkpoint)
    // behind; a live writer's (another saver of this process, or a writer without the folder lock) stay.
    private static void RemoveAbandonedTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (string temp in Directory.EnumerateFiles(directory, "*.tempstate*"))
        {
            try
            {
                AtomicFile.DeleteIfAbandoned(temp);
            }
            catch (IOException)
            {
                // Gone already, or the disk refuses: either way nothing of a checkpoint is at stake.
            }
        }
    }

    private void Record(string prefix)
    {
        _owned.Add(prefix);
        if (_options.MaxToKeep <= 0) return;
        _kept.RemoveAll(k => k.Prefix == prefix);
        _kept.Add((prefix, Now()));
        while (_kept.Count > _options.MaxToKeep)
        {
            _toDelete.Add(_kept[0]);
            _kept.RemoveAt(0);
        }
    }

    private CheckpointState StateFor(string directory, string latest)
    {
        var paths = _kept.Count > 0 ? _kept.Select(k => k.Prefix).ToList() : [latest];
        var times = _kept.Count > 0 ? _kept.Select(k => k.Time).ToList() : [Now()];
        return new CheckpointState
        {
            ModelCheckpointPath = StatePath(directory, latest),
            AllModelCheckpointPaths = paths.Select(p => StatePath(directory, p)).ToList(),
            AllModelCheckpointTimestamps = times,
            LastPreservedTimestamp = _lastPreserved,
        };
    }

    private string StatePath(string directory, string prefix) =>
        _options.SaveRelativePaths && Path.GetDirectoryName(prefix) == directory ? Path.GetFileName(prefix) : prefix;

    // Checkpoints that left the rotation and are not preserved by keep_checkpoint_every_n_hours.
    // They are deleted only after the state file no longer lists them.
    private List<string> TakeExpired()
    {
        var expired = new List<string>();
        foreach (var (prefix, time) in _toDelete)
        {
            if (time > _nextPreserveTime)
            {
                _nextPreserveTime += _options.KeepCheckpointEveryNHours * 3600;
                _lastPreserved = time;
            }
            else
            {
                expired.Add(prefix);
            }
        }
        _toDelete.Clear();
        return expired;
    }

    private static void DeleteQuietly(string prefix)
    {
        try
        {
            Delete(prefix);
        }
        catch (IOException)
        {
            // The disk that failed the write may fail the cleanup too; the leftovers have no index, so no reader sees them.
        }
    }

    // The index goes first: without it the checkpoint no longer exists for any reader.
    private static void Delete(string prefix)
    {
        File.Delete(BundleNaming.IndexFile(prefix));
        File.Delete(prefix + ".meta");
        string directory = Path.GetDirectoryName(prefix)!;
        foreach (string data in BundleNaming.DataFiles(directory, Path.GetFileName(prefix)))
            File.Delete(data);
    }
}
