using GpuTrain.Persistence.Sharding;

namespace GpuTrain.Persistence.Tests.Sharding;

/// <summary>
/// N ranks as N threads of the test process, exchanging through shared slots between barriers: the
/// sharded writer's protocol without a launcher, so its failure cases run in milliseconds.
/// </summary>
public sealed class ThreadShardGroup : IShardGroup
{
    private readonly Shared _shared;

    private ThreadShardGroup(Shared shared, int rank)
    {
        _shared = shared;
        Rank = rank;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size => _shared.Slots.Length;

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> threads, one per rank; returns each rank's result or exception.</summary>
    public static (T? Result, Exception? Error)[] Run<T>(int size, Func<ThreadShardGroup, T> body)
    {
        var shared = new Shared(size);
        var results = new (T?, Exception?)[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try { results[rank] = (body(new ThreadShardGroup(shared, rank)), null); }
            catch (Exception e) { results[rank] = (default, e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a rank thread hung"));
        return results;
    }

    /// <inheritdoc />
    public byte[][]? GatherToRoot(byte[] mine)
    {
        _shared.Slots[Rank] = mine;
        _shared.Barrier.SignalAndWait();
        var all = Rank == 0 ? _shared.Slots.ToArray() : null;
        _shared.Barrier.SignalAndWait();
        return all;
    }

    /// <inheritdoc />
    public byte[] BroadcastFromRoot(byte[] value)
    {
        if (Rank == 0) _shared.Slots[0] = value;
        _shared.Barrier.SignalAndWait();
        byte[] root = _shared.Slots[0];
        _shared.Barrier.SignalAndWait();
        return root;
    }

    private sealed class Shared(int size)
    {
        public readonly byte[][] Slots = new byte[size][];
        public readonly Barrier Barrier = new(size);
    }
}
