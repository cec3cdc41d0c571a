using System.Text;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Persistence.Tests.Hashing;

public class Crc32CTests
{
    [Fact]
    public void Known_answer_of_the_check_string()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Extend_equals_one_pass_over_the_concatenation()
    {
        byte[] data = Encoding.ASCII.GetBytes("a somewhat longer string that crosses 8-byte words");
        Assert.Equal(Crc32C.Compute(data), Crc32C.Extend(Crc32C.Compute(data.AsSpan(0, 13)), data.AsSpan(13)));
    }

    [Fact]
    public void Mask_of_zero_is_the_mask_delta_and_unmask_inverts_it()
    {
        Assert.Equal(0xa282ead8u, Crc32C.Mask(0));
        foreach (uint crc in new[] { 0u, 1u, 0xE3069283u, uint.MaxValue })
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
    }
}
