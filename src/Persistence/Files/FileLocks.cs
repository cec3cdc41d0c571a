using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GpuTrain.Files;

/// <summary>
/// flock(2) advisory locks: held by an open file, released by the kernel when the process dies however
/// it dies, so a lock never outlives its writer. Opened with open(2) rather than FileStream, whose own
/// shared lock on open would keep another process from reading the holder's pid out of the file.
/// Compiled into GpuTrain.Persistence and GpuTrain.Logging (linked source), like <see cref="RegularFile"/>.
/// </summary>
internal static partial class FileLocks
{
    private const int ReadWrite = 0x2, Create = 0x40, CloseOnExec = 0x80000;
    private const int Exclusive = 2, NonBlocking = 4, Unlock = 8;
    private const int WouldBlock = 11;

    /// <summary>True where flock(2) is available (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Opens (creating it if needed) <paramref name="path"/> for reading and writing, taking no lock.</summary>
    /// <exception cref="IOException">open(2) failed.</exception>
    public static SafeFileHandle Open(string path)
    {
        int fd = OpenFile(path, ReadWrite | Create | CloseOnExec, Convert.ToInt32("644", 8));
        if (fd < 0) throw new IOException($"{path}: cannot open ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Takes an exclusive lock without waiting; false when another open file holds one.</summary>
    /// <exception cref="IOException">flock(2) failed for another reason.</exception>
    public static bool TryLockExclusive(SafeFileHandle file, string path)
    {
        if (Flock((int)file.DangerousGetHandle(), Exclusive | NonBlocking) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == WouldBlock) return false;
        throw new IOException($"{path}: cannot lock ({Marshal.GetPInvokeErrorMessage(errno)})");
    }

    /// <summary>
    /// Releases the lock before the file is closed. Closing alone is not enough: a child forked by any
    /// thread of this process (Process.Start) holds a copy of every descriptor until it execs, and a
    /// flock belongs to the open file all those copies share, so the lock would outlive the close by
    /// that moment. An explicit unlock releases it for every copy at once.
    /// </summary>
    public static void Release(SafeFileHandle file)
    {
        if (!file.IsClosed && !file.IsInvalid) Flock((int)file.DangerousGetHandle(), Unlock);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
