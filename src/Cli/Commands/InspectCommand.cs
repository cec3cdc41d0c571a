using System.CommandLine;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Inspection;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain inspect PATH [--tensor NAME] [--json]</c>: lists a checkpoint's tensors or shows one tensor's values.</summary>
public static class InspectCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "A checkpoint prefix, its .index file, or a directory (its latest checkpoint).",
        };
        var tensor = new Option<string?>("--tensor") { Description = "Show this tensor's values (summary statistics when large)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("inspect", "List the tensors of a TensorFlow-compatible checkpoint, or one tensor's values.")
        {
            path, tensor, json,
        };
        // CliErrors here, not only in Main: System.CommandLine's own handler would otherwise print a stack trace.
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var reader = TensorBundleReader.Open(CheckpointInspector.ResolvePrefix(parse.GetRequiredValue(path)));
            string? name = parse.GetValue(tensor);
            bool asJson = parse.GetValue(json);
            Console.Write(name is null
                ? CheckpointInspector.Describe(reader, asJson)
                : CheckpointInspector.DescribeTensor(reader, name, asJson));
            if (asJson) Console.WriteLine();
            return 0;
        }));
        return command;
    }
}
