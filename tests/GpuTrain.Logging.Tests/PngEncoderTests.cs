using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using GpuTrain.Logging.Images;

namespace GpuTrain.Logging.Tests;

/// <summary>Decodes the encoder's PNG with an independent chunk walker and zlib, and compares pixels.</summary>
public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void PixelsRoundTrip(int channels, int colorType)
    {
        const int width = 5, height = 3;
        byte[] pixels = Enumerable.Range(0, width * height * channels).Select(i => (byte)(i * 37)).ToArray();
        byte[] png = PngEncoder.Encode(pixels, width, height, channels);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        byte[] ihdr = chunks[0].Data;
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal(colorType, ihdr[9]);

        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress)) z.CopyTo(inflated);
        byte[] raw = inflated.ToArray();
        int row = width * channels;
        Assert.Equal(height * (row + 1), raw.Length);
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (row + 1)]);
            Assert.Equal(pixels.AsSpan(y * row, row).ToArray(), raw.AsSpan(y * (row + 1) + 1, row).ToArray());
        }
    }

    [Fact]
    public void WrongBufferSizeIsRejected() =>
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[5], 2, 2, 1));

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var list = new List<(string, byte[])>();
        for (int pos = 8; pos < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            byte[] data = png.AsSpan(pos + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(Crc32.HashToUInt32(png.AsSpan(pos + 4, 4 + length)), crc);
            list.Add((type, data));
            pos += 12 + length;
        }
        return list;
    }
}
