using GpuTrain.Runtime.Devices;

namespace GpuTrain.Runtime.Tests.Devices;

public sealed class DeviceSelectionTests
{
    [Fact]
    public void CpuIsAlwaysListedAndAutoPicksAGpuFirst()
    {
        using var context = DeviceCatalog.CreateContext();
        var infos = DeviceCatalog.Enumerate(context).Select(d => d.Info).ToList();
        Assert.Contains(infos, d => d.Id == "cpu" && d.Kind == DeviceKind.Cpu);
        string auto = DeviceCatalog.AutoId(infos);
        var picked = infos.Single(d => d.Id == auto);
        if (infos.Any(d => d.Kind == DeviceKind.Cuda)) Assert.Equal(DeviceKind.Cuda, picked.Kind);
        else if (infos.Any(d => d.Kind == DeviceKind.OpenCL && d.IsGpu)) Assert.Equal(DeviceKind.OpenCL, picked.Kind);
        else Assert.Equal("cpu", picked.Id);
    }

    [Fact]
    public void OpeningCpuGivesTheCpuAccelerator()
    {
        using var device = Device.Open("cpu");
        Assert.Equal(DeviceKind.Cpu, device.Kind);
        Assert.Equal("cpu", device.Info.Id);
        Assert.True(device.Accelerator.MaxNumThreadsPerGroup > 0);
    }

    [Fact]
    public void UnknownDeviceIsAClearErrorListingWhatExists()
    {
        var e = Assert.Throws<DeviceNotFoundException>(() => Device.Open("tpu:7"));
        Assert.Contains("'tpu:7'", e.Message);
        Assert.Contains("cpu", e.Message);
        Assert.Equal("spec", e.ParamName);
        Assert.DoesNotContain("--device", e.Message); // the library speaks of its parameter; the CLI maps it
    }

    [Fact]
    public void CudaWhereThereIsNoneIsAnErrorNotASilentFallback()
    {
        using var context = DeviceCatalog.CreateContext();
        if (DeviceCatalog.Enumerate(context).Any(d => d.Info.Kind == DeviceKind.Cuda)) return; // a GPU machine: nothing to refuse
        Assert.Throws<DeviceNotFoundException>(() => Device.Open("cuda"));
    }
}
