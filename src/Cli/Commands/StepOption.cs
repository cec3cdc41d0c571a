using System.CommandLine;

namespace GpuTrain.Cli.Commands;

/// <summary>The <c>--step N</c> option of the commands that read a checkpoint: the checkpoint of that step instead of the latest.</summary>
public static class StepOption
{
    /// <summary>Creates the option (default: the latest checkpoint).</summary>
    public static Option<long?> Create() => new("--step")
    {
        Description = "the checkpoint of this global step (model.ckpt-N in the folder) instead of the latest",
    };
}
