using System.Text.RegularExpressions;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Inspection;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// What eval, similar, inspect, latest, events and plot read when a user names a model instead of a
/// path: the newest run of that model under <c>./runs</c>, as <c>train --resume</c> continues it.
/// A checkpoint is named by a folder (its latest checkpoint, as <c>tf.train.latest_checkpoint</c>), a
/// prefix (<c>runs/X/model.ckpt-1500</c>), or a folder and <c>--step N</c>.
/// </summary>
public static partial class RunLocator
{
    /// <summary>The models whose runs <c>gputrain train</c> writes under <c>./runs</c>.</summary>
    public static readonly IReadOnlyList<string> Models =
        [TrainMnistCommand.Cnn.Name, TrainMnistCommand.Mlp.Name, TrainPtbCommand.Name, "word2vec"];

    /// <summary>The folder training runs go to by default: <c>runs</c> in the current directory.</summary>
    public static string RunsRoot => Path.Combine(Directory.GetCurrentDirectory(), "runs");

    /// <summary>The newest run folder of <paramref name="model"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The model has no run under ./runs.</exception>
    public static string NewestRun(string model) =>
        RunDirectory.Newest(RunsRoot, model)
        ?? throw new DirectoryNotFoundException(
            $"no run of {model} under {RunsRoot}: train one with 'gputrain train {model}' (from this folder) or name a run folder");

    /// <summary><paramref name="pathOrModel"/> itself when it exists, else, for a model name, its newest run.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither a file, a folder nor a model with a run.</exception>
    public static string PathOrNewestRun(string pathOrModel)
    {
        if (Directory.Exists(pathOrModel) || File.Exists(pathOrModel) || File.Exists(BundleNaming.IndexFile(pathOrModel))) return pathOrModel;
        if (Models.Contains(pathOrModel)) return NewestRun(pathOrModel);
        throw new DirectoryNotFoundException(
            $"'{pathOrModel}' is neither a file, a folder nor a model ({string.Join(", ", Models)}) with a run under {RunsRoot}");
    }

    /// <summary>
    /// The checkpoint prefix named by <paramref name="checkpoint"/> (a folder, a prefix or an .index
    /// file; null: the newest run of <paramref name="model"/>) and <paramref name="step"/> (null: the
    /// folder's latest checkpoint).
    /// </summary>
    /// <exception cref="ArgumentException">--step with a prefix that already names a step, or a step that is not positive.</exception>
    /// <exception cref="FileNotFoundException">No such checkpoint (the message lists the folder's steps).</exception>
    public static string Checkpoint(string? checkpoint, long? step, string model)
    {
        string path = checkpoint ?? NewestRun(model);
        if (step is null) return CheckpointInspector.ResolvePrefix(path);
        if (step < 0) throw new ArgumentException($"--step must not be negative; got {step}");
        if (!Directory.Exists(path))
            throw new ArgumentException($"--step {step} picks a checkpoint in a folder, but --checkpoint {path} is not a folder");
        string prefix = Path.Combine(path, $"model.ckpt-{step}");
        if (File.Exists(BundleNaming.IndexFile(prefix))) return prefix;
        var steps = Steps(path);
        throw new FileNotFoundException(
            $"{path} has no checkpoint at step {step} ({BundleNaming.IndexFile(prefix)}); "
            + (steps.Count == 0 ? "it has none" : "its steps: " + string.Join(", ", steps)));
    }

    /// <summary>The steps of the <c>model.ckpt-N</c> checkpoints in <paramref name="folder"/>, ascending.</summary>
    public static List<long> Steps(string folder) =>
        Directory.EnumerateFiles(folder, "model.ckpt-*.index")
            .Select(f => StepPattern().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();

    /// <summary>The folder a checkpoint prefix lives in.</summary>
    public static string FolderOf(string prefix) => Path.GetDirectoryName(Path.GetFullPath(prefix))!;

    [GeneratedRegex(@"^model\.ckpt-(\d+)\.index$")]
    private static partial Regex StepPattern();
}
