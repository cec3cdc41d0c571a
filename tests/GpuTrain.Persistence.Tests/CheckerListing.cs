using System.Text.RegularExpressions;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests;

/// <summary>One tensor line of <c>tfformat_check.py ckpt PREFIX</c>: the independent reader's view of a tensor.</summary>
public sealed record CheckerTensor(string Name, string DType, long[] Shape, long Size, string[] Values);

/// <summary>Runs the checker on a bundle and parses its per-tensor lines.</summary>
public static partial class CheckerListing
{
    [GeneratedRegex(@"^  (\S+)\s+(DT_\w+)\s+\[([^\]]*)\]\s+shard=\d+ off=\d+ size=(\d+) crc=0x[0-9a-f]+ OK  \[(.*)\]$")]
    private static partial Regex TensorLine();

    /// <summary>The tensors the checker lists for <paramref name="prefix"/>, with every value printed.</summary>
    public static Dictionary<string, CheckerTensor> Read(string prefix) => ReadMany([prefix])[prefix];

    /// <summary>One checker run over several bundles (the checker is slow to start): prefix -> its tensors.</summary>
    public static Dictionary<string, Dictionary<string, CheckerTensor>> ReadMany(IReadOnlyList<string> prefixes)
    {
        var result = TfCheck.Run("ckpt", [.. prefixes, "--max-values", "1000000"]);
        Assert.True(result.Clean, result.Output);
        var all = new Dictionary<string, Dictionary<string, CheckerTensor>>();
        var tensors = new Dictionary<string, CheckerTensor>();
        foreach (string line in result.Output.Split('\n'))
        {
            if (line.StartsWith("== checkpoint ", StringComparison.Ordinal))
            {
                tensors = [];
                all.Add(line["== checkpoint ".Length..], tensors);
                continue;
            }
            var m = TensorLine().Match(line);
            if (!m.Success) continue;
            long[] shape = m.Groups[3].Value.Length == 0 ? [] : m.Groups[3].Value.Split(", ").Select(long.Parse).ToArray();
            string values = m.Groups[5].Value;
            string[] parts = m.Groups[2].Value == "DT_STRING" || values.Length == 0 ? [values] : values.Split(", ");
            tensors.Add(m.Groups[1].Value, new CheckerTensor(m.Groups[1].Value, m.Groups[2].Value, shape, long.Parse(m.Groups[4].Value), parts));
        }
        return all;
    }
}
