using GpuTrain.Persistence.Hashing;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Table;
using Google.Protobuf;

namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// Writes a V2 tensor bundle as TF's BundleWriter does: data shards first, the index last, each under a
/// temporary name, fsynced and renamed, so a crash leaves either no bundle or a complete one.
/// </summary>
public static class TensorBundleWriter
{
    /// <summary><c>kTensorBundleVersion</c>.</summary>
    public const int BundleVersion = 1;

    /// <summary>Writes <paramref name="tensors"/> to <c>PREFIX.index</c> and <paramref name="numShards"/> data files.</summary>
    /// <exception cref="ArgumentException">Duplicate or reserved names, or fewer than one shard.</exception>
    public static void Write(string prefix, IReadOnlyList<BundleTensor> tensors, int numShards = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numShards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numShards, Saving.SaverOptions.MaxShards);
        var sorted = InKeyOrder(tensors);

        string? directory = Path.GetDirectoryName(Path.GetFullPath(prefix));
        if (directory is not null) Directory.CreateDirectory(directory);

        int[] shardOf = ShardPlanner.Assign(sorted.Select(t => t.Data.LongLength).ToList(), numShards);
        var entries = new BundleEntryProto[sorted.Count];
        try
        {
            Parallel.For(0, numShards, shard => WriteShard(prefix, shard, numShards, sorted, shardOf, entries));
        }
        catch (AggregateException e)
        {
            // Surface the shard's own error (e.g. "No space left on device : 'path'"), not the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        WriteIndex(prefix, numShards, sorted, entries);
    }

    /// <summary>Writes <c>PREFIX.index</c>: the header, then each tensor's entry in key order (the commit of the bundle).</summary>
    internal static void WriteIndex(string prefix, int numShards, List<BundleTensor> sorted, BundleEntryProto[] entries)
    {
        var table = new TableWriter();
        table.Add([], Header(numShards).ToByteArray());
        for (int i = 0; i < sorted.Count; i++) table.Add(sorted[i].Key, entries[i].ToByteArray());
        AtomicFile.WriteAllBytes(BundleNaming.IndexFile(prefix), table.Finish());
    }

    /// <summary>The tensors in the index's key order, each name checked (not reserved, not repeated).</summary>
    /// <exception cref="ArgumentException">Duplicate or reserved names.</exception>
    internal static List<BundleTensor> InKeyOrder(IReadOnlyList<BundleTensor> tensors)
    {
        var sorted = tensors.OrderBy(t => t.Key, ByteComparer.Instance).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Name.Length == 0 || sorted[i].Name[0] == '\0')
                throw new ArgumentException($"tensor name '{sorted[i].Name}' is reserved (empty, or starts with NUL like a slice key)", nameof(tensors));
            if (i > 0 && sorted[i].Name == sorted[i - 1].Name)
                throw new ArgumentException($"tensor name '{sorted[i].Name}' appears twice", nameof(tensors));
        }
        return sorted;
    }

    /// <summary>The header TF writes: num_shards, little-endian (default, omitted), producer version 1.</summary>
    private static BundleHeaderProto Header(int numShards) => new()
    {
        NumShards = numShards,
        Version = new VersionDef { Producer = BundleVersion },
    };

    /// <summary>Writes data file <paramref name="shard"/> (the tensors <paramref name="shardOf"/> assigns it) and fills their entries.</summary>
    internal static void WriteShard(string prefix, int shard, int numShards, List<BundleTensor> sorted, int[] shardOf, BundleEntryProto[] entries)
    {
        AtomicFile.Write(BundleNaming.DataFile(prefix, shard, numShards), stream =>
        {
            for (int i = 0; i < sorted.Count; i++)
            {
                if (shardOf[i] != shard) continue;
                var t = sorted[i];
                entries[i] = new BundleEntryProto
                {
                    Dtype = t.DType,
                    Shape = TensorShapes.ToProto(t.Shape),
                    ShardId = shard,
                    Offset = stream.Position,
                    Size = t.Data.LongLength,
                    Crc32C = Crc32C.Mask(t.Crc),
                };
                stream.Write(t.Data);
            }
        });
    }

    /// <summary>Orders keys as raw bytes, the table's order.</summary>
    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
