using System.CommandLine;

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
}
