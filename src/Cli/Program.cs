using System.CommandLine;
using GpuTrain.Cli.Commands;

namespace GpuTrain.Cli;

/// <summary>The <c>gputrain</c> command: a thin layer over the GpuTrain libraries.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("GpuTrain: train TensorFlow tutorial models on CUDA, OpenCL or CPU accelerators.")
        {
            DevicesCommand.Create(),
            TrainCommand.Create(),
        };
        return CliErrors.Run(() => root.Parse(args).Invoke());
    }
}
