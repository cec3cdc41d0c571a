using System.Buffers.Binary;
using System.Numerics;

namespace GpuTrain.Logging.Records;

/// <summary>
/// CRC32C (Castagnoli) and TensorFlow's masking of it. TFRecord framing stores masked CRCs so that a
/// CRC computed over bytes that themselves contain CRCs does not degenerate (crc32c.h, kMaskDelta).
/// </summary>
public static class MaskedCrc32C
{
    private const uint MaskDelta = 0xa282ead8u;

    /// <summary>CRC32C of <paramref name="data"/> (init and xorout 0xFFFFFFFF; crc32c("123456789") = 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        // BitOperations.Crc32C uses the SSE4.2/ARM instruction where present, a table otherwise.
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>TensorFlow's mask: rotate right by 15 bits and add a constant.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>The inverse of <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    /// <summary>The masked CRC32C of <paramref name="data"/>, as TFRecord stores it.</summary>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
