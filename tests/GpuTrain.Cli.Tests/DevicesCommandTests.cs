namespace GpuTrain.Cli.Tests;

public sealed class DevicesCommandTests
{
    [Fact]
    public void ListsTheCpuOnceMarksExactlyOneAutoChoiceAndExplainsTheEmulatedCpuDevices()
    {
        var r = CliRunner.Run(["devices"]);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.TrimStart('*', ' ').StartsWith("cpu "));
        Assert.DoesNotContain(lines, l => l.TrimStart('*', ' ').StartsWith("cpu:"));
        Assert.Single(lines, l => l.StartsWith("* "));
        Assert.Contains(lines, l => l.StartsWith("Also accepted: cpu:1, cpu:2, cpu:3, cpu:4") && l.Contains("warp 64"));
    }

    [Fact]
    public void AnEmulatedCpuDeviceIsStillAcceptedAndMarked()
    {
        var r = CliRunner.Run(["devices", "--device", "cpu:3"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("* cpu:3", r.Stdout);
    }

    [Fact]
    public void AnUnknownDeviceIsAClearErrorWithoutAStackTrace()
    {
        var r = CliRunner.Run(["devices", "--device", "tpu"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error: --device: 'tpu': no such device", r.Stderr);
        Assert.Contains("Available devices", r.Stderr);
        Assert.DoesNotContain("(Parameter", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
