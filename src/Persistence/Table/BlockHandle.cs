namespace GpuTrain.Persistence.Table;

/// <summary>Where a block lies in a table file: offset and size, the size excluding the 5-byte trailer.</summary>
/// <param name="Offset">First byte of the block contents.</param>
/// <param name="Size">Length of the block contents.</param>
internal readonly record struct BlockHandle(ulong Offset, ulong Size)
{
    /// <summary>Appends the two varint64s.</summary>
    public void EncodeTo(List<byte> output)
    {
        Varint.Write(output, Offset);
        Varint.Write(output, Size);
    }

    /// <summary>Decodes a handle at <paramref name="pos"/>, advancing it.</summary>
    public static BlockHandle Decode(ReadOnlySpan<byte> data, ref int pos, string what) =>
        new(Varint.Read64(data, ref pos, what), Varint.Read64(data, ref pos, what));
}
