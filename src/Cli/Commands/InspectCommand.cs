using System.CommandLine;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Inspection;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain inspect PATH|MODEL [--step N] [--tensor NAME] [--json]</c>: lists a checkpoint's
/// tensors or shows one tensor's values; a model name means its newest run's latest checkpoint.
/// </summary>
public static class InspectCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "A checkpoint prefix, its .index file, a folder (its latest checkpoint), or a model (mnist-cnn, ...) for its newest run under ./runs.",
        };
        var step = StepOption.Create();
        var tensor = new Option<string?>("--tensor") { Description = "Show this tensor's values (summary statistics when large)." };
        var json = new Option<bool>("--json") { Description = "Print compact JSON (one line) instead of text." };
        var command = new Command("inspect", "List the tensors of a TensorFlow-compatible checkpoint, or one tensor's values.")
        {
            path, step, tensor, json,
        };
        // CliErrors here, not only in Main: System.CommandLine's own handler would otherwise print a stack trace.
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string where = RunLocator.PathOrNewestRun(parse.GetRequiredValue(path));
            var reader = TensorBundleReader.Open(RunLocator.Checkpoint(where, parse.GetValue(step), model: where));
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
