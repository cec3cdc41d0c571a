using GpuTrain.Cli.Commands;
using GpuTrain.TestSupport;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// A device, driver or ILGPU failure escaping a command is one line naming the device, the operation
/// that failed and the driver's error, with exit code 1: an OpenCL error injected on the test device
/// (suggesting --device cpu there; on the CPU accelerator, where there is no other device to suggest,
/// a bug to report), and a real ILGPU error on the CPU accelerator. Console.Error is swapped, so these
/// tests run one at a time.
/// </summary>
[Collection(nameof(DeviceErrorTests))]
[CollectionDefinition(nameof(DeviceErrorTests), DisableParallelization = true)]
public sealed class DeviceErrorTests
{
    [DeviceFact]
    [Trait("Category", TestDevice.Category)]
    public void AnOpenClErrorIsOneLineNamingTheDeviceAndWhatFailed()
    {
        string id = "";
        var (exit, stderr) = RunCaptured(() =>
        {
            using var device = DeviceOption.Open(TestDevice.Spec);
            id = device.Info.Id;
            ZeroTheState(device);
            return 0;
        });
        Assert.Equal(1, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"error: device {id} (", stderr);
        Assert.Contains("DeviceErrorTests.ZeroTheState failed: OpenCL error CL_INVALID_VALUE;", stderr);
        Assert.Contains(TestDevice.IsCpu ? "please report it" : "try --device cpu", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void AnIlgpuErrorOnTheCpuAcceleratorIsOneLineToo()
    {
        var (exit, stderr) = RunCaptured(() =>
        {
            using var device = DeviceOption.Open("cpu");
            using var buffer = device.Accelerator.Allocate1D<float>(-1);
            return 0;
        });
        Assert.Equal(1, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: device cpu (Cpu ", stderr);
        Assert.Contains("ArgumentOutOfRangeException", stderr);
        Assert.Contains("please report it", stderr);
    }

    // Stands in for a kernel launch the driver refuses (what ILGPU 1.5.3's OpenCL memset of a sub-view did).
    private static void ZeroTheState(Runtime.Devices.Device device) =>
        throw new CLException(CLError.CL_INVALID_VALUE);

    private static (int Exit, string Stderr) RunCaptured(Func<int> body)
    {
        var saved = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            return (CliErrors.Run(body), captured.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}
