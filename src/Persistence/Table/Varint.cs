namespace GpuTrain.Persistence.Table;

/// <summary>LevelDB's little-endian base-128 varints, with bounds checked on every read.</summary>
internal static class Varint
{
    /// <summary>Appends <paramref name="value"/> as a varint.</summary>
    public static void Write(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Reads a varint of at most 64 bits at <paramref name="pos"/>, advancing it.</summary>
    /// <exception cref="InvalidDataException">The varint runs past the end or is longer than 10 bytes.</exception>
    public static ulong Read64(ReadOnlySpan<byte> data, ref int pos, string what)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new InvalidDataException($"{what}: truncated varint");
            byte b = data[pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return result;
        }
        throw new InvalidDataException($"{what}: varint longer than 10 bytes");
    }

    /// <summary>Reads a varint that must fit in 32 bits (LevelDB's varint32).</summary>
    public static uint Read32(ReadOnlySpan<byte> data, ref int pos, string what)
    {
        ulong v = Read64(data, ref pos, what);
        return v <= uint.MaxValue ? (uint)v : throw new InvalidDataException($"{what}: varint32 out of range ({v})");
    }
}
