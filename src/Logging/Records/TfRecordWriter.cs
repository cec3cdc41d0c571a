using System.Buffers.Binary;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Logging.Records;

/// <summary>
/// Writes TFRecord framing: uint64 LE length, masked CRC32C of those 8 bytes, the data, masked CRC32C
/// of the data. Each record is written with one call so a reader never sees a header without its data
/// unless the process dies inside that call.
/// </summary>
internal sealed class TfRecordWriter
{
    /// <summary>Bytes of framing around each record (12 before the data, 4 after).</summary>
    public const int FramingBytes = 16;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[256];

    /// <summary>Writes records to <paramref name="stream"/>; the caller owns the stream.</summary>
    public TfRecordWriter(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Appends one framed record holding <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        int total = data.Length + FramingBytes;
        if (_buffer.Length < total) _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
        Span<byte> record = _buffer.AsSpan(0, total);
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], Crc32C.ComputeMasked(record[..8]));
        data.CopyTo(record[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(12 + data.Length)..], Crc32C.ComputeMasked(data));
        _stream.Write(record);
    }
}
