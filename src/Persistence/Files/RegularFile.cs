using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GpuTrain.Files;

/// <summary>
/// Opens a file for reading only when it is a regular file, and gives its real size, so that no
/// reader hangs on a FIFO (open(2) of a FIFO waits for a writer; here it is opened non-blocking and
/// refused) or reads a device such as /dev/zero without end. Compiled into GpuTrain.Persistence and
/// GpuTrain.Logging (linked source): both read files a user hands them.
/// </summary>
internal static partial class RegularFile
{
    private const int ReadOnly = 0, NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint TypeAndSize = 0x1 | 0x200;
    private const int FileTypeMask = 0xF000;

    /// <summary>Opens <paramref name="path"/> for reading (shared with writers) and returns the handle and its size in bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for messages ("checkpoint index", "event file").</param>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="InvalidDataException">It is a directory, FIFO, socket or device.</exception>
    public static (SafeFileHandle Handle, long Length) OpenRead(string path, string what)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (Directory.Exists(path)) throw NotRegular(path, what, "a directory");
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return (handle, RandomAccess.GetLength(handle));
        }
        int fd = Open(path, ReadOnly | NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 2) throw new FileNotFoundException($"{what} {path} does not exist", path);
            throw new IOException($"{what} {path}: cannot open ({Marshal.GetPInvokeErrorMessage(errno)})");
        }
        var file = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // statx's layout is the same on every Linux architecture: stx_mode is a u16 at 28, stx_size a u64 at 40.
            var stat = new byte[256];
            if (Statx(fd, "", EmptyPath, TypeAndSize, stat) != 0)
                throw new IOException($"{what} {path}: cannot stat ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
            int type = BinaryPrimitives.ReadUInt16LittleEndian(stat.AsSpan(28)) & FileTypeMask;
            if (type != 0x8000)
            {
                throw NotRegular(path, what, type switch
                {
                    0x4000 => "a directory",
                    0x1000 => "a FIFO",
                    0x2000 => "a character device",
                    0x6000 => "a block device",
                    0xC000 => "a socket",
                    _ => "not a regular file",
                });
            }
            return (file, (long)BinaryPrimitives.ReadUInt64LittleEndian(stat.AsSpan(40)));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static InvalidDataException NotRegular(string path, string what, string kind) =>
        new($"{what} {path} is {kind}, not a regular file; refusing to read it");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
