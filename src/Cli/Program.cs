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
            EventsCommand.Create(),
            PlotCommand.Create(),
            InspectCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            SimilarCommand.Create(),
        };
        // System.CommandLine's own handler would print a stack trace; CliErrors decides what a user sees.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return CliErrors.Run(() => root.Parse(args).Invoke(invocation));
    }
}
