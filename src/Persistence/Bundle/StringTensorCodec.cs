using System.Buffers.Binary;
using System.IO.Hashing;
using GpuTrain.Persistence.Hashing;
using GpuTrain.Persistence.Table;

namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// DT_STRING tensors in a data file (WriteStringTensor/ReadStringTensor): varint64 lengths, the masked
/// CRC32C of the lengths, then the bytes. The entry CRC is not over the stored bytes: it covers each
/// length as fixed-width little-endian, the 4 checksum bytes and the string bytes.
/// </summary>
internal static class StringTensorCodec
{
    /// <summary>The stored bytes of <paramref name="strings"/> and the entry CRC (unmasked).</summary>
    public static (byte[] Data, uint EntryCrc) Encode(IReadOnlyList<byte[]> strings)
    {
        var output = new List<byte>();
        var crc = Crc32C.Incremental();
        foreach (byte[] s in strings)
        {
            Varint.Write(output, (ulong)s.Length);
            AppendLength(crc, (ulong)s.Length);
        }
        var checksum = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, Crc32C.Mask(crc.GetCurrentHashAsUInt32()));
        output.AddRange(checksum);
        crc.Append(checksum);
        foreach (byte[] s in strings)
        {
            output.AddRange(s);
            crc.Append(s);
        }
        return (output.ToArray(), crc.GetCurrentHashAsUInt32());
    }

    /// <summary>Decodes <paramref name="count"/> strings, checking the lengths checksum and layout.</summary>
    /// <returns>The strings and the entry CRC (unmasked) to compare with the index entry.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid string tensor of that many elements.</exception>
    public static (byte[][] Strings, uint EntryCrc) Decode(ReadOnlySpan<byte> data, long count, string what)
    {
        if (count > data.Length) throw new InvalidDataException($"{what}: {data.Length} bytes cannot hold {count} strings");
        var lengths = new ulong[count];
        var crc = Crc32C.Incremental();
        int pos = 0;
        ulong total = 0;
        for (long i = 0; i < count; i++)
        {
            lengths[i] = Varint.Read64(data, ref pos, what);
            AppendLength(crc, lengths[i]);
            total += lengths[i];
            if (lengths[i] > (ulong)data.Length || total > (ulong)data.Length)
                throw new InvalidDataException($"{what}: string lengths exceed the tensor's {data.Length} bytes");
        }
        if (data.Length - pos < 4) throw new InvalidDataException($"{what}: string tensor truncated before its length checksum");
        var checksum = data.Slice(pos, 4);
        if (Crc32C.Unmask(BinaryPrimitives.ReadUInt32LittleEndian(checksum)) != crc.GetCurrentHashAsUInt32())
            throw new InvalidDataException($"{what}: string length checksum does not match");
        pos += 4;
        if ((ulong)(data.Length - pos) != total)
            throw new InvalidDataException($"{what}: string bytes ({data.Length - pos}) differ from the sum of lengths ({total})");
        crc.Append(checksum);
        var strings = new byte[count][];
        for (long i = 0; i < count; i++)
        {
            strings[i] = data.Slice(pos, (int)lengths[i]).ToArray();
            crc.Append(strings[i]);
            pos += (int)lengths[i];
        }
        return (strings, crc.GetCurrentHashAsUInt32());
    }

    private static void AppendLength(Crc32 crc, ulong length)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        crc.Append(length > uint.MaxValue ? bytes : bytes[..4]);
    }
}
