using GpuTrain.Persistence.Table;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests;

/// <summary>The real TensorFlow files under shared/fixtures/tf, found by walking the folder.</summary>
public static class FixtureFiles
{
    /// <summary>Every <c>*.index</c> file (empty when the shared folder is absent).</summary>
    public static IEnumerable<string> IndexFiles() => Walk().Where(f => f.EndsWith(".index", StringComparison.Ordinal));

    /// <summary>Every file named <c>checkpoint</c>.</summary>
    public static IEnumerable<string> StateFiles() => Walk().Where(f => Path.GetFileName(f) == "checkpoint");

    /// <summary>True when the table's first data block is snappy-compressed (TF's open-source writer never does that).</summary>
    public static bool HasSnappyBlock(string indexFile)
    {
        byte[] bytes = File.ReadAllBytes(indexFile);
        ReadOnlySpan<byte> footer = bytes.AsSpan(bytes.Length - TableFormat.FooterSize);
        int pos = 0;
        BlockHandle.Decode(footer, ref pos, "footer");
        var index = BlockHandle.Decode(footer, ref pos, "footer");
        // The index block's first entry (shared 0, non_shared n, value length, key, value) holds the first data block's handle.
        ReadOnlySpan<byte> block = bytes.AsSpan((int)index.Offset, (int)index.Size);
        pos = 0;
        Varint.Read32(block, ref pos, "index");
        uint keyLength = Varint.Read32(block, ref pos, "index");
        Varint.Read32(block, ref pos, "index");
        pos += (int)keyLength;
        var first = BlockHandle.Decode(block, ref pos, "index");
        return bytes[(int)(first.Offset + first.Size)] == TableFormat.SnappyCompression;
    }

    private static IEnumerable<string> Walk() => SharedDir.Path is null
        ? []
        : Directory.EnumerateFiles(SharedDir.Combine("fixtures", "tf"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
