using System.Text.RegularExpressions;

namespace GpuTrain.Persistence.Bundle;

/// <summary>File names of a bundle (tensorflow/core/util/tensor_bundle/naming.cc).</summary>
public static partial class BundleNaming
{
    /// <summary><c>PREFIX.index</c>.</summary>
    public static string IndexFile(string prefix) => prefix + ".index";

    /// <summary><c>PREFIX.data-0000k-of-0000N</c>.</summary>
    public static string DataFile(string prefix, int shard, int numShards) => $"{prefix}.data-{shard:D5}-of-{numShards:D5}";

    /// <summary>
    /// The data files of checkpoint <paramref name="name"/> in <paramref name="directory"/>, whatever
    /// the width of their numbers: TF formats them with <c>%05d</c>, which grows past 99,999 shards.
    /// </summary>
    public static IEnumerable<string> DataFiles(string directory, string name) =>
        Directory.EnumerateFiles(directory, name + ".data-*-of-*")
            .Where(path => DataSuffix().IsMatch(Path.GetFileName(path).AsSpan(name.Length)));

    /// <summary>The prefix of <paramref name="path"/>: strips a trailing <c>.index</c> if present.</summary>
    public static string PrefixOf(string path) =>
        path.EndsWith(".index", StringComparison.Ordinal) ? path[..^".index".Length] : path;

    [GeneratedRegex(@"^\.data-[0-9]{5,}-of-[0-9]{5,}$", RegexOptions.CultureInvariant)]
    private static partial Regex DataSuffix();
}
