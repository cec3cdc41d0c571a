using System.Buffers.Binary;

namespace GpuTrain.Logging.Records;

/// <summary>
/// Reads TFRecord framing and checks both CRCs of every record. A file that ends inside a record raises
/// <see cref="TruncatedRecordException"/> after all complete records were returned; a CRC mismatch raises
/// <see cref="InvalidDataException"/> naming the file, record index and offset.
/// </summary>
public static class TfRecordReader
{
    /// <summary>The data of each record of <paramref name="path"/>, in file order.</summary>
    public static IEnumerable<byte[]> ReadAll(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"event file not found: {path}", path);
        return ReadAllCore(path);
    }

    private static IEnumerable<byte[]> ReadAllCore(string path)
    {
        // FileShare.ReadWrite: the file may still be open in a writer (a live training run).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
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
            if (MaskedCrc32C.ComputeMasked(header.AsSpan(0, 8)) != lengthCrc)
                throw new InvalidDataException(
                    $"{path}: record {index} at offset {offset}: length CRC mismatch (file corrupt, or not a TFRecord/event file)");
            long remaining = stream.Length - stream.Position;
            if (length > (ulong)Math.Max(0, remaining - 4))
                throw new TruncatedRecordException(path, offset, index,
                    $"declares {length} data bytes, only {remaining} bytes (data and CRC) follow");
            var data = new byte[length];
            stream.ReadExactly(data);
            stream.ReadExactly(crcBytes);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(crcBytes);
            uint computed = MaskedCrc32C.ComputeMasked(data);
            if (stored != computed)
                throw new InvalidDataException(
                    $"{path}: record {index} at offset {offset}: data CRC mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})");
            offset += TfRecordWriter.FramingBytes + (long)length;
            index++;
            yield return data;
        }
    }
}
