using System.Globalization;
using System.Text;
using GpuTrain.Files;
using Microsoft.Win32.SafeHandles;

namespace GpuTrain.Persistence.Saving;

/// <summary>
/// One writer per checkpoint folder: an advisory flock(2) lock on <c>FOLDER/gputrain.lock</c>, held
/// until disposed or until the process ends (the kernel releases it even after a SIGKILL, so it is
/// never stale). A training run takes it before it restores or writes anything; readers (eval,
/// inspect, events) take none. The file holds the holder's pid, which a refused writer reports. The
/// file itself stays: deleting it would let a second writer lock a new file while the first still
/// holds the old one.
/// </summary>
public sealed class CheckpointFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the folder.</summary>
    public const string FileName = "gputrain.lock";

    private readonly SafeFileHandle _file;

    private CheckpointFolderLock(string directory, SafeFileHandle file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The folder this lock guards.</summary>
    public string Directory { get; }

    /// <summary>Locks <paramref name="directory"/> (creating it if needed) for this process.</summary>
    /// <exception cref="CheckpointFolderBusyException">Another process holds the lock.</exception>
    /// <exception cref="IOException">The lock file cannot be created or locked.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux (no flock here).</exception>
    public static CheckpointFolderLock Acquire(string directory)
    {
        if (!FileLocks.Supported) throw new PlatformNotSupportedException("checkpoint folder locks need flock(2) (Linux)");
        string full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        string path = Path.Combine(full, FileName);
        var file = FileLocks.Open(path);
        try
        {
            if (!FileLocks.TryLockExclusive(file, path))
                throw new CheckpointFolderBusyException(full, HolderOf(file));
            byte[] holder = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            RandomAccess.SetLength(file, 0);
            RandomAccess.Write(file, holder, 0);
            return new CheckpointFolderLock(full, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock (the file stays, see the class remarks).</summary>
    public void Dispose()
    {
        FileLocks.Release(_file);
        _file.Dispose();
    }

    // The holder wrote its pid right after locking; a lock taken a moment ago may not show it yet.
    private static int? HolderOf(SafeFileHandle file)
    {
        var buffer = new byte[32];
        int read = RandomAccess.Read(file, buffer, 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
