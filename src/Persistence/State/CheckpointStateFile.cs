using System.Text;
using GpuTrain.Files;
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

    /// <summary>The largest state file read: a few hundred bytes per kept checkpoint, so 1 MiB is thousands of them.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The state of <paramref name="directory"/>, or null when it has no state file.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid CheckpointState.</exception>
    public static CheckpointState? Read(string directory, string latestFilename = DefaultName)
    {
        string path = Path.Combine(directory, latestFilename);
        if (!File.Exists(path)) return null;
        var (handle, length) = RegularFile.OpenRead(path, "checkpoint state file");
        using (handle)
        {
            if (length > MaxBytes)
                throw new InvalidDataException($"{path}: {length} bytes is not a checkpoint state file (at most {MaxBytes})");
            var bytes = new byte[length];
            int read = RandomAccess.Read(handle, bytes, 0);
            try
            {
                return CheckpointStateText.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, read));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: not a valid checkpoint state file: {e.Message}", e);
            }
        }
    }

    /// <summary>Writes the state file atomically (temporary file, fsync, rename).</summary>
    public static void Write(string directory, CheckpointState state, string latestFilename = DefaultName)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, latestFilename), Encoding.UTF8.GetBytes(CheckpointStateText.Format(state)));
    }

    /// <summary>
    /// The prefix of the newest checkpoint in <paramref name="directory"/>, decided by the folder's own
    /// files (<see cref="CheckpointFolder"/>): the state file cannot point outside the folder or hide a
    /// newer checkpoint. Null when the folder holds no checkpoint and has no state file.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint, and the state file names one that does not exist.</exception>
    /// <exception cref="InvalidDataException">No checkpoint, and the state file is corrupt.</exception>
    public static string? LatestCheckpoint(string directory, string latestFilename = DefaultName)
    {
        var folder = CheckpointFolder.Read(directory, latestFilename);
        if (folder.Newest is { } newest) return newest.Prefix;
        string path = Path.Combine(folder.Directory, latestFilename);
        if (folder.State is { } state)
            throw new FileNotFoundException($"{path} names checkpoint '{state.ModelCheckpointPath}', which does not exist in {folder.Directory}", path);
        if (folder.Warnings.Count > 0) throw new InvalidDataException(folder.Warnings[0]);
        return null;
    }
}
