using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Tests.Training;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void RedirectedOutputGetsPlainLinesLiveOutputOneRedrawnBar()
    {
        var plain = new StringWriter();
        var p = new ConsoleProgress(plain, live: false);
        for (int i = 1; i <= 100; i++) p.Step(i, 100, 0.5f, 10);
        p.Finish();
        string[] lines = plain.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50, lines.Length);
        Assert.DoesNotContain('\r', plain.ToString());
        Assert.Equal("step 100/100  loss 0.5000  10.00 steps/s  ETA 0s", lines[^1].TrimEnd());

        var live = new StringWriter();
        var q = new ConsoleProgress(live, live: true);
        q.Step(4, 10, 1f, 2);
        q.Message("eval");
        q.Finish();
        Assert.Equal("\r[#########...............] step 4/10  loss 1.0000  2.00 steps/s  ETA 3s\neval\n",
            live.ToString().Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(125, "2m05s")]
    [InlineData(7300, "2h01m")]
    public void EtaIsShortAndHuman(double seconds, string expected) =>
        Assert.Equal(expected, ConsoleProgress.FormatDuration(seconds));
}
