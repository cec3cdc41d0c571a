using System.CommandLine;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain train MODEL</c>: one subcommand per model, each with its own hyper-parameters and the shared <see cref="RunOptions"/>.</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => new("train", "Train a model with TensorBoard logs and checkpoints; see 'gputrain train MODEL --help'.")
    {
        TrainMnistCommand.Create(TrainMnistCommand.Cnn),
        TrainMnistCommand.Create(TrainMnistCommand.Mlp),
        TrainPtbCommand.Create(),
        TrainWord2VecCommand.Create(),
    };
}
