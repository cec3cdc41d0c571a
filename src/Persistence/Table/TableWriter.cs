using System.Buffers.Binary;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Persistence.Table;

/// <summary>
/// Writes a table exactly as TF's TableBuilder with the options BundleWriter uses: 256 KiB blocks,
/// restart interval 16 (1 in the index block), shortest separators, an empty metaindex, no compression.
/// </summary>
internal sealed class TableWriter
{
    // TableBuilder flushes before an entry this many block sizes long so it gets a block of its own.
    private const int OverlyLargeBlockRatio = 2;

    private readonly MemoryStream _output = new();
    private readonly BlockBuilder _dataBlock = new(TableFormat.DataRestartInterval);
    private readonly BlockBuilder _indexBlock = new(TableFormat.IndexRestartInterval);
    private byte[] _lastKey = [];
    private bool _hasEntries;
    private BlockHandle? _pendingHandle;

    /// <summary>Adds an entry; keys must strictly increase as raw bytes.</summary>
    /// <exception cref="ArgumentException">The key does not sort after the previous one.</exception>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_hasEntries && key.SequenceCompareTo(_lastKey) <= 0)
            throw new ArgumentException("table keys must strictly increase", nameof(key));
        if (!_dataBlock.IsEmpty && key.Length + value.Length >= OverlyLargeBlockRatio * TableFormat.BlockSize)
            FlushDataBlock();
        if (_pendingHandle is { } handle)
        {
            AddIndexEntry(KeySeparators.ShortestSeparator(_lastKey, key), handle);
            _pendingHandle = null;
        }
        _lastKey = key.ToArray();
        _hasEntries = true;
        _dataBlock.Add(key, value);
        if (_dataBlock.CurrentSizeEstimate >= TableFormat.BlockSize) FlushDataBlock();
    }

    /// <summary>Finishes the table (metaindex, index, footer) and returns the whole file.</summary>
    public byte[] Finish()
    {
        if (!_dataBlock.IsEmpty) FlushDataBlock();
        var metaindex = WriteBlock(new BlockBuilder(TableFormat.DataRestartInterval).Finish());
        if (_pendingHandle is { } handle)
        {
            AddIndexEntry(KeySeparators.ShortSuccessor(_lastKey), handle);
            _pendingHandle = null;
        }
        var index = WriteBlock(_indexBlock.Finish());

        var footer = new List<byte>(TableFormat.FooterSize);
        metaindex.EncodeTo(footer);
        index.EncodeTo(footer);
        while (footer.Count < TableFormat.FooterSize - 8) footer.Add(0);
        Span<byte> magic = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(magic, TableFormat.Magic);
        footer.AddRange(magic);
        _output.Write(footer.ToArray());
        return _output.ToArray();
    }

    private void AddIndexEntry(byte[] separator, BlockHandle handle)
    {
        var encoded = new List<byte>(20);
        handle.EncodeTo(encoded);
        _indexBlock.Add(separator, encoded.ToArray());
    }

    private void FlushDataBlock() => _pendingHandle = WriteBlock(_dataBlock.Finish());

    private BlockHandle WriteBlock(byte[] contents)
    {
        var handle = new BlockHandle((ulong)_output.Position, (ulong)contents.Length);
        _output.Write(contents);
        Span<byte> trailer = stackalloc byte[TableFormat.BlockTrailerSize];
        trailer[0] = TableFormat.NoCompression;
        // The trailer's CRC covers the contents and the type byte.
        var crc = Crc32C.Incremental();
        crc.Append(contents);
        crc.Append(trailer[..1]);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[1..], Crc32C.Mask(crc.GetCurrentHashAsUInt32()));
        _output.Write(trailer);
        return handle;
    }
}
