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
            LatestCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            SimilarCommand.Create(),
        };
        // System.CommandLine's own handler would print a stack trace; CliErrors decides what a user sees.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        var parse = root.Parse(args);
        if (UnknownSubcommand(parse) is { } unknown)
        {
            Console.Error.WriteLine(unknown);
            return 1;
        }
        if (args is ["train", ..] && UnderMultiProcessLauncher() is { } refused)
        {
            Console.Error.WriteLine("error: " + refused);
            return 1;
        }
        return CliErrors.Run(() => parse.Invoke(invocation));
    }

    // Data-parallel training is not wired into the trainer yet (issue 16): N independent copies of
    // one run under mpirun would race for the same run folder.
    private static string? UnderMultiProcessLauncher()
    {
        try
        {
            return GpuTrain.Runtime.Distributed.Communicator.LaunchedProcesses is > 1 and int n
                ? $"gputrain train does not train data-parallel yet; it was started as {n} processes by an MPI launcher: run it without mpirun"
                : null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    // "gputrain train foo-net": one line that names what was typed and every choice, rather than
    // System.CommandLine's "Unrecognized command or argument" above a page of help.
    private static string? UnknownSubcommand(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parse.UnmatchedTokens.Count == 0) return null;
        string token = parse.UnmatchedTokens[0];
        if (token.StartsWith('-')) return null;
        string what = command.Name == "train" ? "model" : "command";
        return $"error: unknown {what} '{token}'; choose one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
    }
}
