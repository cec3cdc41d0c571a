using System.Text;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Sharding;
using GpuTrain.Persistence.Variables;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// This rank's part of the job's checkpoints: a <see cref="Persistence.Saving.Saver"/> whose bundles
/// are written by every rank together, one data file each (<see cref="ShardedBundleWriter"/>), and
/// committed by rank 0, which alone writes the index and state file and applies the retention
/// policy. Every rank calls <see cref="Saver"/>'s Save at the same step (from any one thread: the
/// writer talks over a communicator of its own) and <see cref="RestoreNewestIntact"/> at the same
/// point. In a world of one it is a plain saver with the options' shard count.
/// </summary>
public sealed class RankSaver : IDisposable
{
    private readonly Communicator _world;
    private readonly Communicator? _writing;

    /// <summary>Saves <paramref name="variables"/> (the same on every rank) with rank 0 applying <paramref name="options"/>.</summary>
    public RankSaver(Communicator world, IEnumerable<ICheckpointVariable> variables, SaverOptions? options = null)
    {
        _world = world;
        options ??= new SaverOptions();
        if (!world.IsDistributed)
        {
            Saver = new Saver(variables, options);
            return;
        }
        _writing = world.Duplicate();
        // Only rank 0 commits: the others write no state file and, keeping no rotation, delete nothing.
        var mine = world.IsRoot ? options with { NumShards = 1 } : options with { NumShards = 1, WriteState = false, MaxToKeep = 0 };
        Saver = new Saver(variables, mine) { BundleWriter = new ShardedBundleWriter(new CommunicatorShardGroup(_writing, "a checkpoint save's shard gather and commit")) };
    }

    /// <summary>This rank's saver.</summary>
    public Saver Saver { get; }

    /// <summary>
    /// Restores the newest intact checkpoint of <paramref name="directory"/> on every rank: rank 0
    /// chooses it (skipping missing or corrupt ones, which <paramref name="report"/> names on rank 0)
    /// and the others restore the same one. Returns its prefix, or null when there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">Checkpoints exist but none can be restored (on every rank).</exception>
    public string? RestoreNewestIntact(string directory, Action<string> report)
    {
        if (!_world.IsDistributed) return Saver.RestoreNewestIntact(directory, report);
        var group = new CommunicatorShardGroup(_world, "choosing the checkpoint to restore");
        // The answer is 'P' + prefix, 'N' for none, or 'E' + why none can be restored.
        string answer = "";
        if (_world.IsRoot)
        {
            try { answer = Saver.RestoreNewestIntact(directory, report) is { } p ? "P" + p : "N"; }
            catch (InvalidDataException e) { answer = "E" + e.Message; }
        }
        answer = Encoding.UTF8.GetString(group.BroadcastFromRoot(Encoding.UTF8.GetBytes(answer)));
        if (answer[0] == 'E') throw new InvalidDataException(answer[1..]);
        if (answer[0] == 'N') return null;
        string prefix = answer[1..];
        if (!_world.IsRoot) Saver.Restore(prefix);
        return prefix;
    }

    /// <summary>Frees the writer's communicator.</summary>
    public void Dispose() => _writing?.Dispose();
}
