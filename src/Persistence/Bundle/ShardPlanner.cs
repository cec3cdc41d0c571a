namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// Splits tensors over N shards, each tensor whole in one shard, balancing bytes: largest first,
/// each to the currently lightest shard (within 4/3 of the optimum, and deterministic).
/// </summary>
internal static class ShardPlanner
{
    /// <summary>The shard of each tensor, given the tensors' byte sizes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numShards"/> is not positive.</exception>
    public static int[] Assign(IReadOnlyList<long> sizes, int numShards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numShards, 1);
        var shardOf = new int[sizes.Count];
        var load = new long[numShards];
        var order = Enumerable.Range(0, sizes.Count).OrderByDescending(i => sizes[i]).ThenBy(i => i);
        foreach (int i in order)
        {
            int lightest = 0;
            for (int s = 1; s < numShards; s++)
                if (load[s] < load[lightest]) lightest = s;
            shardOf[i] = lightest;
            load[lightest] += sizes[i];
        }
        return shardOf;
    }
}
