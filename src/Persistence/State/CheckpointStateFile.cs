using System.Text;
using GpuTrain.Persistence.Bundle;

namespace GpuTrain.Persistence.State;

/// <summary>
/// Reads and writes a directory's state file and resolves its latest checkpoint as
/// <c>tf.train.latest_checkpoint</c> does: relative paths are joined with the directory, so a moved
/// directory still restores.
/// </summary>
public static class CheckpointStateFile
{
    /// <summary>TF's default state file name.</summary>
    public const string DefaultName = "checkpoint";

    /// <summary>The state of <paramref name="directory"/>, or null when it has no state file.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid CheckpointState.</exception>
    public static CheckpointState? Read(string directory, string latestFilename = DefaultName)
    {
        string path = Path.Combine(directory, latestFilename);
        if (!File.Exists(path)) return null;
        try
        {
            return CheckpointStateText.Parse(File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: not a valid checkpoint state file: {e.Message}", e);
        }
    }

    /// <summary>Writes the state file atomically (temporary file, fsync, rename).</summary>
    public static void Write(string directory, CheckpointState state, string latestFilename = DefaultName)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, latestFilename), Encoding.UTF8.GetBytes(CheckpointStateText.Format(state)));
    }

    /// <summary>A path from the state file resolved against its directory (absolute paths unchanged).</summary>
    public static string Resolve(string directory, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

    /// <summary>
    /// The prefix of the newest checkpoint in <paramref name="directory"/>, or null when the directory has
    /// no state file.
    /// </summary>
    /// <exception cref="FileNotFoundException">The state file names a checkpoint whose .index is missing.</exception>
    /// <exception cref="InvalidDataException">The state file is corrupt.</exception>
    public static string? LatestCheckpoint(string directory, string latestFilename = DefaultName)
    {
        var state = Read(directory, latestFilename);
        if (state is null) return null;
        string prefix = Resolve(directory, state.ModelCheckpointPath);
        string index = BundleNaming.IndexFile(prefix);
        if (!File.Exists(index))
            throw new FileNotFoundException(
                $"{Path.Combine(directory, latestFilename)} names checkpoint '{state.ModelCheckpointPath}', but {index} does not exist", index);
        return prefix;
    }
}
