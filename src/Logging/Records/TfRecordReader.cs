using System.Buffers.Binary;
using GpuTrain.Files;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Logging.Records;

/// <summary>
/// Reads TFRecord framing and checks both CRCs of every record. A file that ends inside a record raises
/// <see cref="TruncatedRecordException"/> after all complete records were returned; a CRC mismatch, or a
/// length no record can have, raises <see cref="InvalidDataException"/> naming the file, record index
/// and offset. Only regular files are read (a FIFO or device is refused at once), and no record is
/// allocated beyond the bytes the file really holds.
/// </summary>
internal static class TfRecordReader
{
    /// <summary>
    /// The longest record data: an Event is a protobuf message, which cannot exceed 2 GiB. A longer
    /// length (with a valid length CRC) is corruption wherever it is, never a truncated tail.
    /// </summary>
    public const long MaxRecordBytes = int.MaxValue;

    /// <summary>The data of each record of <paramref name="path"/>, in file order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a regular file (checked at once), or corrupt (while reading).</exception>
    public static IEnumerable<byte[]> ReadAll(string path)
    {
        var (handle, _) = RegularFile.OpenRead(path, "event file");
        return ReadAllCore(path, handle);
    }

    private static IEnumerable<byte[]> ReadAllCore(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        // Shared with writers: the file may still be growing in a live training run; its length is re-read per record.
        using var stream = new FileStream(handle, FileAccess.Read);
        var header = new byte[12];
        var crcBytes = new byte[4];
        long offset = 0;
        int index = 0;
        while (true)
        {
            int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (got == 0) yield break;
            if (got < header.Length)
                throw new TruncatedRecordException(path, offset, index, $"only {got} of 12 header bytes");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            if (Crc32C.ComputeMasked(header.AsSpan(0, 8)) != lengthCrc)
                throw new InvalidDataException(
                    $"{path}: record {index} at offset {offset}: length CRC mismatch (file corrupt, or not a TFRecord/event file)");
            if (length > MaxRecordBytes)
                throw new InvalidDataException(
                    $"{path}: record {index} at offset {offset} claims {length} data bytes, more than any Event can have (2 GiB): file corrupt");
            long remaining = stream.Length - stream.Position;
            if (length > (ulong)Math.Max(0, remaining - 4))
                throw new TruncatedRecordException(path, offset, index,
                    $"declares {length} data bytes, only {remaining} bytes (data and CRC) follow");
            var data = new byte[length];
            stream.ReadExactly(data);
            stream.ReadExactly(crcBytes);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(crcBytes);
            uint computed = Crc32C.ComputeMasked(data);
            if (stored != computed)
                throw new InvalidDataException(
                    $"{path}: record {index} at offset {offset}: data CRC mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})");
            offset += TfRecordWriter.FramingBytes + (long)length;
            index++;
            yield return data;
        }
    }
}
