using System.Globalization;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// Where a training run keeps its TensorBoard logs and checkpoints: <c>runs/MODEL-yyyyMMdd-HHmmss</c>
/// by default, so a new run never writes over an earlier one; <c>--resume</c> without a folder picks
/// the newest run of the model.
/// </summary>
public static class RunDirectory
{
    /// <summary>The folder for a fresh run of <paramref name="model"/> under <paramref name="root"/>.</summary>
    public static string Fresh(string root, string model) =>
        Path.Combine(root, model + "-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    /// <summary>The newest run folder of <paramref name="model"/> under <paramref name="root"/>, or null.</summary>
    public static string? Newest(string root, string model) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root, model + "-*").OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;
}
