namespace GpuTrain.Cli.Tests;

public sealed class DevicesCommandTests
{
    [Fact]
    public void ListsTheCpuAndMarksExactlyOneAutoChoice()
    {
        var r = CliRunner.Run(["devices"]);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.TrimStart('*', ' ').StartsWith("cpu "));
        Assert.Single(lines, l => l.StartsWith("* "));
        Assert.Contains(lines, l => l.Contains("max threads/group"));
    }

    [Fact]
    public void AnUnknownDeviceIsAClearErrorWithoutAStackTrace()
    {
        var r = CliRunner.Run(["devices", "--device", "tpu"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("'tpu'", r.Stderr);
        Assert.Contains("Available devices", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
