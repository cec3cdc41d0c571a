namespace GpuTrain.Persistence.Sharding;

/// <summary>
/// The processes that write one checkpoint together, one data file each, and the two collectives
/// that takes. Every rank calls them in the same order. (An MPI communicator in a training job.)
/// </summary>
public interface IShardGroup
{
    /// <summary>This process's rank; rank 0 writes the index.</summary>
    int Rank { get; }

    /// <summary>The number of processes, and of data files.</summary>
    int Size { get; }

    /// <summary>Every rank's <paramref name="mine"/> on rank 0, in rank order; null on the other ranks.</summary>
    byte[][]? GatherToRoot(byte[] mine);

    /// <summary>Rank 0's <paramref name="value"/> on every rank (the argument of other ranks is ignored).</summary>
    byte[] BroadcastFromRoot(byte[] value);
}
