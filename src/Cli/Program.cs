using System.CommandLine;
using GpuTrain.Cli.Commands;
using GpuTrain.Runtime.Distributed;

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
        if (args is not ["train", ..]) return CliErrors.Run(() => parse.Invoke(invocation));
        bool launched;
        try
        {
            launched = Communicator.UnderLauncher;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        if (!launched) return CliErrors.Run(() => parse.Invoke(invocation));
        return RunDataParallel(() => CliErrors.Run(() => parse.Invoke(invocation)));
    }

    // Under an MPI launcher, one rank's error must end the job: the others would otherwise wait for
    // it in a collective forever. Only rank 0 prints to the console; errors go to stderr on any rank.
    private static int RunDataParallel(Func<int> run)
    {
        Communicator world;
        try
        {
            world = Communicator.World;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        if (!world.IsRoot) Console.SetOut(TextWriter.Null);
        int code;
        try
        {
            code = run();
        }
        catch (Exception e) when (world.IsDistributed)
        {
            Console.Error.WriteLine($"rank {world.Rank} of {world.Size}: {e}");
            code = 70;
        }
        if (code != 0 && world.IsDistributed) world.Abort(code);
        return code;
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
