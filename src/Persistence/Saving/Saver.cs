using System.Globalization;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Variables;

namespace GpuTrain.Persistence.Saving;

/// <summary>
/// tf.train.Saver for GpuTrain variables: <c>Save(path, step)</c> writes <c>path-step</c>, updates the
/// state file and deletes checkpoints beyond <see cref="SaverOptions.MaxToKeep"/> unless the
/// keep-every-N-hours rule preserves them. Commit order is crash-safe: bundle (data, then index), then
/// the state file, then deletions. The saver manages only checkpoints it wrote or its directory's state
/// file lists, so retention carries on after a restore.
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
    private double? _lastPreserved;
    private string? _directory;

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
        AdoptDirectory(directory);

        try
        {
            TensorBundleWriter.Write(prefix, CheckpointRestorer.Snapshot(_variables, Buffer), _options.NumShards);
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
    public void Restore(string prefix)
    {
        string full = Path.GetFullPath(BundleNaming.PrefixOf(prefix));
        CheckpointRestorer.Restore(full, _variables);
        AdoptDirectory(Path.GetDirectoryName(full)!);
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
    /// Restores the newest checkpoint of <paramref name="directory"/> that is intact: the state file's
    /// latest first, then the older ones it lists, then any other <c>*.index</c> in the folder, newest
    /// first. Each one skipped (missing, truncated, failing its checksums, or a corrupt state file) is
    /// reported through <paramref name="report"/> with the reason. Returns the prefix restored, or null
    /// when the folder holds no checkpoint at all.
    /// </summary>
    /// <exception cref="InvalidDataException">Checkpoints exist but none of them can be restored.</exception>
    public string? RestoreNewestIntact(string directory, Action<string> report)
    {
        var candidates = new List<string>();
        try
        {
            var state = CheckpointStateFile.Read(directory, _options.LatestFilename);
            if (state is not null)
            {
                candidates.Add(CheckpointStateFile.Resolve(directory, state.ModelCheckpointPath));
                candidates.AddRange(state.AllModelCheckpointPaths.Reverse().Select(p => CheckpointStateFile.Resolve(directory, p)));
            }
        }
        catch (InvalidDataException e)
        {
            report($"{e.Message}; looking for checkpoints in {directory} instead");
        }
        if (Directory.Exists(directory))
        {
            candidates.AddRange(Directory.EnumerateFiles(directory, "*.index")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .Select(BundleNaming.PrefixOf));
        }
        var tried = new HashSet<string>();
        foreach (string candidate in candidates.Select(Path.GetFullPath))
        {
            if (!tried.Add(candidate)) continue;
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
        if (tried.Count > 0)
            throw new InvalidDataException($"none of the {tried.Count} checkpoints in {directory} can be restored");
        return null;
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

    // On first use of a directory, take over the checkpoints its state file lists (tf's
    // recover_last_checkpoints), so max_to_keep counts them and deletes them in turn.
    private void AdoptDirectory(string directory)
    {
        if (_directory == directory) return;
        _directory = directory;
        _kept.Clear();
        _toDelete.Clear();
        RemoveAbandonedTemporaries(directory);
        var state = CheckpointStateFile.Read(directory, _options.LatestFilename);
        if (state is null) return;
        _lastPreserved = state.LastPreservedTimestamp;
        for (int i = 0; i < state.AllModelCheckpointPaths.Count; i++)
        {
            string prefix = Path.GetFullPath(CheckpointStateFile.Resolve(directory, state.AllModelCheckpointPaths[i]));
            string index = BundleNaming.IndexFile(prefix);
            if (!File.Exists(index)) continue;
            double time = i < state.AllModelCheckpointTimestamps.Count
                ? state.AllModelCheckpointTimestamps[i]
                : new DateTimeOffset(File.GetLastWriteTimeUtc(index)).ToUnixTimeMilliseconds() / 1000.0;
            _kept.Add((prefix, time));
        }
    }

    // A process killed while writing leaves its AtomicFile temporaries (never part of a checkpoint) behind.
    private static void RemoveAbandonedTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (string temp in Directory.EnumerateFiles(directory, "*.tempstate*"))
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Still open elsewhere: a concurrent writer's, left alone.
            }
        }
    }

    private void Record(string prefix)
    {
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
