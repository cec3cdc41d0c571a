using GpuTrain.Persistence.Sharding;

namespace GpuTrain.Runtime.Distributed;

/// <summary>The ranks of a communicator as the writers of one sharded checkpoint.</summary>
internal sealed class CommunicatorShardGroup(Communicator communicator) : IShardGroup
{
    public int Rank => communicator.Rank;

    public int Size => communicator.Size;

    public byte[][]? GatherToRoot(byte[] mine) => communicator.Gather(mine);

    public byte[] BroadcastFromRoot(byte[] value)
    {
        var length = new long[] { value.LongLength };
        communicator.Broadcast<long>(length);
        var data = communicator.IsRoot ? value : new byte[checked((int)length[0])];
        communicator.Broadcast<byte>(data);
        return data;
    }
}
