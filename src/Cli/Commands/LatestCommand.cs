using System.CommandLine;
using GpuTrain.Persistence.Inspection;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain latest MODEL|FOLDER</c>: prints the prefix of the latest checkpoint, as
/// <c>tf.train.latest_checkpoint</c> returns it (the library call is
/// <c>CheckpointStateFile.LatestCheckpoint</c>), of a folder or of the newest run of a model.
/// </summary>
public static class LatestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a checkpoint folder, or a model (mnist-cnn, ...) for its newest run under ./runs" };
        var command = new Command("latest", "Print the latest checkpoint's prefix (tf.train.latest_checkpoint) of a folder or of a model's newest run.")
        {
            run,
        };
        command.SetAction(parse =>
        {
            string folder = RunLocator.PathOrNewestRun(parse.GetValue(run)!);
            if (!Directory.Exists(folder)) throw new ArgumentException($"{folder} is not a folder");
            Console.WriteLine(CheckpointInspector.ResolvePrefix(folder));
            return 0;
        });
        return command;
    }
}
