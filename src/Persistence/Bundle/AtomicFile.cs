using GpuTrain.Files;

namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: a temporary name
/// beside it (TF's <c>.tempstate&lt;random&gt;</c>), fsync, then rename over the target. The temporary
/// is flock'ed while it is written, so a cleanup can tell a live writer's temporary from one a killed
/// process left (<see cref="DeleteIfAbandoned"/>).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically and durably.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        string temp = $"{path}.tempstate{Random.Shared.NextInt64():x16}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                if (FileLocks.Supported) FileLocks.TryLockExclusive(stream.SafeFileHandle, temp);
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary <paramref name="path"/> when no process is writing it any more (its lock is
    /// free: the writer was killed), and returns whether it did; a live writer's temporary stays.
    /// </summary>
    public static bool DeleteIfAbandoned(string path)
    {
        if (!FileLocks.Supported) return false;
        using var file = FileLocks.Open(path);
        if (!FileLocks.TryLockExclusive(file, path)) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }
}
