using System.Buffers.Binary;
using System.Numerics;

namespace GpuTrain.Persistence.Hashing;

/// <summary>
/// CRC32C (Castagnoli), the checksum of every TensorFlow table block, bundle tensor and TFRecord, and
/// TensorFlow's "masked" form of it. System.IO.Hashing has no CRC32C, so this uses
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, which is the SSE4.2/ARM instruction where present.
/// </summary>
public static class Crc32C
{
    private const uint MaskDelta = 0xa282ead8u;

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>The CRC32C of the bytes hashed into <paramref name="crc"/> followed by <paramref name="data"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        // The instruction works on the pre-inverted register; TF's crc32c::Extend takes and returns the final value.
        uint state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    /// <summary>TF's <c>crc32c::Mask</c>: rotated and offset so a CRC stored in hashed data does not hash to itself.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Inverse of <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }
}
