using System.IO.Hashing;

namespace GpuTrain.Persistence.Hashing;

/// <summary>
/// CRC32C (Castagnoli), the checksum of every TensorFlow table block, bundle tensor and TFRecord,
/// computed by System.IO.Hashing, and TensorFlow's "masked" form of it (crc32c.h, kMaskDelta): a CRC
/// stored inside hashed data is masked so that it does not hash to itself. The one CRC32C of the
/// repository: the event-file side (GpuTrain.Logging) compiles this file in too.
/// </summary>
internal static class Crc32C
{
    private const uint MaskDelta = 0xa282ead8u;

    /// <summary>The CRC32C of <paramref name="data"/> (crc32c("123456789") = 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>A CRC32C over data appended piece by piece (<c>GetCurrentHashAsUInt32</c> after each piece).</summary>
    public static Crc32 Incremental() => new(Crc32ParameterSet.Crc32C);

    /// <summary>TF's <c>crc32c::Mask</c>: rotated and offset so a CRC stored in hashed data does not hash to itself.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Inverse of <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    /// <summary>The masked CRC32C of <paramref name="data"/>, as TFRecord and table trailers store it.</summary>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
