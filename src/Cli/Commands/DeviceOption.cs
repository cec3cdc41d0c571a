using System.CommandLine;
using GpuTrain.Runtime.Devices;

namespace GpuTrain.Cli.Commands;

/// <summary>The <c>--device</c> option every computing command takes.</summary>
public static class DeviceOption
{
    /// <summary>Creates the option (default auto).</summary>
    public static Option<string> Create() => new("--device")
    {
        Description = "auto (CUDA, else an OpenCL GPU, else CPU), cuda, opencl, cpu, or an id from 'gputrain devices'",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The device this command opened (or is opening), for the one line a device failure becomes.</summary>
    public static string? InUse { get; private set; }

    /// <summary>Opens the device named by <paramref name="spec"/> and remembers it as <see cref="InUse"/>.</summary>
    public static Device Open(string spec)
    {
        InUse = spec;
        var device = Device.Open(spec);
        InUse = $"{device.Info.Id} ({device.Kind} {device.Info.Name})";
        return device;
    }
}
