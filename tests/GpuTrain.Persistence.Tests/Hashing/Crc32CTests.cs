using System.Text;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Persistence.Tests.Hashing;

/// <summary>The one CRC32C (bundles, tables and, compiled into GpuTrain.Logging, TFRecords) and TF's masking.</summary>
public class Crc32CTests
{
    [Fact]
    public void Known_answer_of_the_check_string()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Incremental_pieces_equal_one_pass_over_the_concatenation()
    {
        byte[] data = Encoding.ASCII.GetBytes("a somewhat longer string that crosses 8-byte words");
        var crc = Crc32C.Incremental();
        crc.Append(data.AsSpan(0, 13));
        Assert.Equal(Crc32C.Compute(data.AsSpan(0, 13)), crc.GetCurrentHashAsUInt32());
        crc.Append(data.AsSpan(13));
        Assert.Equal(Crc32C.Compute(data), crc.GetCurrentHashAsUInt32());
    }

    [Fact]
    public void Long_input_agrees_with_a_bitwise_reference()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        Assert.Equal(BitwiseCrc32C(data), Crc32C.Compute(data));
    }

    [Fact]
    public void Mask_of_zero_is_the_mask_delta_and_unmask_inverts_it()
    {
        Assert.Equal(0xa282ead8u, Crc32C.Mask(0));
        Assert.Equal(0xa282ead8u, Crc32C.ComputeMasked([]));
        foreach (uint crc in new[] { 0u, 1u, 0xE3069283u, uint.MaxValue })
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
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
