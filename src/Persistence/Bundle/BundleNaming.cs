namespace GpuTrain.Persistence.Bundle;

/// <summary>File names of a bundle (tensorflow/core/util/tensor_bundle/naming.cc).</summary>
public static class BundleNaming
{
    /// <summary><c>PREFIX.index</c>.</summary>
    public static string IndexFile(string prefix) => prefix + ".index";

    /// <summary><c>PREFIX.data-0000k-of-0000N</c>.</summary>
    public static string DataFile(string prefix, int shard, int numShards) => $"{prefix}.data-{shard:D5}-of-{numShards:D5}";

    /// <summary>The prefix of <paramref name="path"/>: strips a trailing <c>.index</c> if present.</summary>
    public static string PrefixOf(string path) =>
        path.EndsWith(".index", StringComparison.Ordinal) ? path[..^".index".Length] : path;
}
