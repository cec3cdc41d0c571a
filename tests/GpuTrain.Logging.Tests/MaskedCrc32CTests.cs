using System.Text;
using GpuTrain.Logging.Records;

namespace GpuTrain.Logging.Tests;

public class MaskedCrc32CTests
{
    [Fact]
    public void Crc32CMatchesTheCastagnoliCheckValue() =>
        Assert.Equal(0xE3069283u, MaskedCrc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void EmptyInputMasksToTheDocumentedConstant() =>
        Assert.Equal(0xa282ead8u, MaskedCrc32C.ComputeMasked([]));

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(0xE3069283u)]
    [InlineData(0xFFFFFFFFu)]
    public void UnmaskInvertsMask(uint crc) => Assert.Equal(crc, MaskedCrc32C.Unmask(MaskedCrc32C.Mask(crc)));

    [Fact]
    public void LongInputAgreesWithBytewiseReference()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        Assert.Equal(BitwiseCrc32C(data), MaskedCrc32C.Compute(data));
    }

    private static uint BitwiseCrc32C(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
