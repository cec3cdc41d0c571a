using GpuTrain.Persistence.Sharding;

namespace GpuTrain.Runtime.Distributed;

/// <summary>The ranks of a communicator as the writers of one sharded checkpoint; <paramref name="purpose"/> names its collectives for the deadline.</summary>
internal sealed class CommunicatorShardGroup(Communicator communicator, string purpose) : IShardGroup
{
    public int Rank => communicator.Rank;

    public int Size => communicator.Size;

    public byte[][]? GatherToRoot(byte[] mine)
    {
        using var named = Communicator.For(purpose);
        return communicator.Gather(mine);
    }

    public byte[] BroadcastFromRoot(byte[] value)
    {
        using var named = Communicator.For(purpose);
        var length = new long[] { value.LongLength };
        communicator.Broadcast<long>(length);
        var data = communicator.IsRoot ? value : new byte[checked((int)length[0])];
        communicator.Broadcast<byte>(data);
        return data;
    }
}
