namespace GpuTrain.Persistence.Bundle;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: a temporary name
/// beside it (TF's <c>.tempstate&lt;random&gt;</c>), fsync, then rename over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically and durably.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        string temp = $"{path}.tempstate{Random.Shared.NextInt64():x16}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
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

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }
}
