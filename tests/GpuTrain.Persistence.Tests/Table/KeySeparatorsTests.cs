using System.Text;
using GpuTrain.Persistence.Table;

namespace GpuTrain.Persistence.Tests.Table;

public class KeySeparatorsTests
{
    [Theory]
    [InlineData("abc1", "abc9", "abc2")]     // room between the differing bytes: last + 1, cut there
    [InlineData("abc1", "abc2", "abc1")]     // adjacent bytes: no shorter key fits
    [InlineData("abc", "abcd", "abc")]       // one is a prefix of the other
    [InlineData("dense/bias", "dense/kernel", "dense/c")]
    public void Shortest_separator(string last, string next, string expected)
    {
        byte[] key = KeySeparators.ShortestSeparator(Encoding.ASCII.GetBytes(last), Encoding.ASCII.GetBytes(next));
        Assert.Equal(expected, Encoding.ASCII.GetString(key));
    }

    [Fact]
    public void Short_successor_increments_the_first_byte_below_0xff()
    {
        Assert.Equal([(byte)'h'], KeySeparators.ShortSuccessor(Encoding.ASCII.GetBytes("global_step")));
        Assert.Equal(new byte[] { 0xff, 0x02 }, KeySeparators.ShortSuccessor([0xff, 0x01, 0x07]));
        Assert.Equal(new byte[] { 0xff, 0xff }, KeySeparators.ShortSuccessor([0xff, 0xff]));
    }
}
