using System.Buffers.Binary;
using GpuTrain.Persistence.Hashing;
using Snappier;

namespace GpuTrain.Persistence.Table;

/// <summary>
/// Reads a whole TF table, as Table::Open and its iterators do: footer magic, index block, then every
/// data block, each block's CRC verified; uncompressed and snappy blocks. Blocks are read one at a
/// time at their offsets, each checked against the real file size and <see cref="MaxBlockBytes"/>
/// before anything is allocated, so memory follows what the table holds, not what it claims. Any
/// inconsistency is an <see cref="InvalidDataException"/> naming the file.
/// </summary>
internal static class TableReader
{
    /// <summary>
    /// The largest block read: TF cuts blocks at 256 KiB (<see cref="TableFormat.BlockSize"/>) and only
    /// a single huge entry makes one larger; 64 MiB is far beyond any real index.
    /// </summary>
    public const int MaxBlockBytes = 64 << 20;

    // Snappy expands at most 64 output bytes per 3-byte copy op; a larger declared length is corrupt.
    private const int MaxSnappyExpansion = 22;

    /// <summary>All entries of the table whose bytes are <paramref name="file"/>, in key order.</summary>
    /// <param name="file">The table file's contents.</param>
    /// <param name="fileName">The file's name, for error messages.</param>
    /// <exception cref="InvalidDataException">The table is truncated or corrupt.</exception>
    public static List<KeyValuePair<byte[], byte[]>> ReadAll(byte[] file, string fileName) =>
        ReadAll(file.LongLength, (offset, size) => file.AsSpan((int)offset, size).ToArray(), fileName);

    /// <summary>All entries of a table of <paramref name="length"/> bytes read through <paramref name="read"/>, in key order.</summary>
    /// <param name="length">The file's real size.</param>
    /// <param name="read">Returns the <c>size</c> bytes at <c>offset</c> (always within <paramref name="length"/>).</param>
    /// <param name="fileName">The file's name, for error messages.</param>
    /// <exception cref="InvalidDataException">The table is truncated or corrupt.</exception>
    public static List<KeyValuePair<byte[], byte[]>> ReadAll(long length, Func<long, int, byte[]> read, string fileName)
    {
        if (length < TableFormat.FooterSize)
            throw new InvalidDataException($"{fileName}: {length} bytes is too short for a table (footer is {TableFormat.FooterSize})");
        ReadOnlySpan<byte> footer = read(length - TableFormat.FooterSize, TableFormat.FooterSize);
        if (BinaryPrimitives.ReadUInt64LittleEndian(footer[40..]) != TableFormat.Magic)
            throw new InvalidDataException($"{fileName}: not an sstable (bad magic number)");
        int pos = 0;
        string footerWhat = fileName + ": footer";
        var metaindexHandle = BlockHandle.Decode(footer, ref pos, footerWhat);
        var indexHandle = BlockHandle.Decode(footer, ref pos, footerWhat);
        // TF ignores the padding and the metaindex; checking both means no flipped byte goes unnoticed.
        if (pos > 40 || footer[pos..40].IndexOfAnyExcept((byte)0) >= 0)
            throw new InvalidDataException($"{fileName}: corrupt footer (bad handles or padding)");
        ParseBlock(ReadBlock(length, read, metaindexHandle, fileName, "metaindex block"), fileName + ": metaindex block");

        var entries = new List<KeyValuePair<byte[], byte[]>>();
        foreach (var (_, handleBytes) in ParseBlock(ReadBlock(length, read, indexHandle, fileName, "index block"), fileName + ": index block"))
        {
            int hp = 0;
            var handle = BlockHandle.Decode(handleBytes, ref hp, fileName + ": index entry");
            string what = $"data block at offset {handle.Offset}";
            foreach (var entry in ParseBlock(ReadBlock(length, read, handle, fileName, what), fileName + ": " + what))
            {
                if (entries.Count > 0 && entry.Key.AsSpan().SequenceCompareTo(entries[^1].Key) <= 0)
                    throw new InvalidDataException($"{fileName}: {what}: keys out of order");
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static byte[] ReadBlock(long length, Func<long, int, byte[]> read, BlockHandle handle, string fileName, string what)
    {
        ulong limit = (ulong)(length - TableFormat.FooterSize);
        if (handle.Offset > limit || handle.Size > limit - handle.Offset || limit - handle.Offset - handle.Size < TableFormat.BlockTrailerSize)
            throw new InvalidDataException($"{fileName}: {what} (offset {handle.Offset}, size {handle.Size}) lies outside the file ({length} bytes)");
        if (handle.Size > MaxBlockBytes)
            throw new InvalidDataException($"{fileName}: {what} claims {handle.Size} bytes, more than any table block ({MaxBlockBytes})");
        byte[] block = read((long)handle.Offset, (int)handle.Size + TableFormat.BlockTrailerSize);
        var contents = block.AsSpan(0, (int)handle.Size);
        byte type = block[(int)handle.Size];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan((int)handle.Size + 1));
        uint actual = Crc32C.Compute(block.AsSpan(0, (int)handle.Size + 1)); // the contents and the type byte
        if (Crc32C.Unmask(stored) != actual)
            throw new InvalidDataException($"{fileName}: {what}: block checksum mismatch");
        return type switch
        {
            TableFormat.NoCompression => contents.ToArray(),
            TableFormat.SnappyCompression => Unsnappy(contents, fileName, what),
            _ => throw new InvalidDataException($"{fileName}: {what}: bad block type {type}"),
        };
    }

    private static byte[] Unsnappy(ReadOnlySpan<byte> compressed, string fileName, string what)
    {
        try
        {
            int length = Snappy.GetUncompressedLength(compressed);
            if (length < 0 || (long)length > (long)compressed.Length * MaxSnappyExpansion + 64)
                throw new InvalidDataException($"declared uncompressed length {length} is impossible for {compressed.Length} bytes");
            var output = new byte[length];
            int written = Snappy.Decompress(compressed, output);
            if (written != length) throw new InvalidDataException($"snappy produced {written} of {length} bytes");
            return output;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new InvalidDataException($"{fileName}: {what}: corrupt snappy block: {e.Message}", e);
        }
    }

    private static List<KeyValuePair<byte[], byte[]>> ParseBlock(byte[] block, string what)
    {
        if (block.Length < 4) throw new InvalidDataException($"{what}: {block.Length} bytes is too short for a block");
        uint numRestarts = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(block.Length - 4));
        if (numRestarts == 0 || numRestarts > (uint)(block.Length - 4) / 4)
            throw new InvalidDataException($"{what}: bad restart count {numRestarts}");
        int entriesEnd = block.Length - 4 - (int)numRestarts * 4;
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        byte[] lastKey = [];
        int pos = 0;
        while (pos < entriesEnd)
        {
            ReadOnlySpan<byte> span = block.AsSpan(0, entriesEnd);
            uint shared = Varint.Read32(span, ref pos, what);
            uint nonShared = Varint.Read32(span, ref pos, what);
            uint valueLength = Varint.Read32(span, ref pos, what);
            if (shared > lastKey.Length || nonShared > (uint)(entriesEnd - pos) || valueLength > (uint)(entriesEnd - pos) - nonShared)
                throw new InvalidDataException($"{what}: bad entry at offset {pos}");
            var key = new byte[shared + nonShared];
            lastKey.AsSpan(0, (int)shared).CopyTo(key);
            block.AsSpan(pos, (int)nonShared).CopyTo(key.AsSpan((int)shared));
            pos += (int)nonShared;
            var value = block.AsSpan(pos, (int)valueLength).ToArray();
            pos += (int)valueLength;
            entries.Add(new(key, value));
            lastKey = key;
        }
        return entries;
    }
}
