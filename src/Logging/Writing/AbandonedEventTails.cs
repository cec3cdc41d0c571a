using System.Buffers.Binary;
using GpuTrain.Files;
using GpuTrain.Logging.Records;
using GpuTrain.Persistence.Hashing;

namespace GpuTrain.Logging.Writing;

/// <summary>
/// A writer killed inside a flush leaves its event file ending in part of a record. TensorBoard reads
/// up to it, but the file is no longer a whole TFRecord file, so a run starting in the same log folder
/// cuts such a tail off, back to the last complete record, from files whose writer is gone (their
/// flock is free; a live writer's file is never touched). Only an incomplete last record is cut: a
/// file damaged anywhere else is left as it is for the readers to report.
/// </summary>
internal static class AbandonedEventTails
{
    /// <summary>Cuts the incomplete last record of every abandoned event file in <paramref name="logDir"/>, reporting each cut.</summary>
    public static void Cut(string logDir, Action<string> report)
    {
        if (!FileLocks.Supported || !Directory.Exists(logDir)) return;
        foreach (string path in Directory.EnumerateFiles(logDir, "*tfevents*"))
        {
            try
            {
                CutOne(path, report);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Not ours to fix (unreadable, not a regular file): the readers report it.
            }
        }
    }

    private static void CutOne(string path, Action<string> report)
    {
        var (probe, _) = RegularFile.OpenRead(path, "event file");
        probe.Dispose();
        using var file = FileLocks.Open(path);
        if (!FileLocks.TryLockExclusive(file, path)) return;
        long length = RandomAccess.GetLength(file);
        if (CompleteLength(file, length) is not { } complete || complete == length) return;
        RandomAccess.SetLength(file, complete);
        report($"logging: cut the incomplete last record off {path} ({length - complete} bytes at offset {complete}; its writer was stopped inside a write)");
    }

    // Walks the record headers: the end of the last complete record when the file ends inside one,
    // the file's length when it is whole, null when a header is damaged (not a truncated tail).
    private static long? CompleteLength(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length)
    {
        var header = new byte[12];
        long offset = 0;
        while (offset < length)
        {
            if (length - offset < header.Length) return offset;
            RandomAccess.Read(file, header, offset);
            if (Crc32C.ComputeMasked(header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8))) return null;
            ulong data = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (data > TfRecordReader.MaxRecordBytes) return null;
            if ((ulong)(length - offset) < (ulong)TfRecordWriter.FramingBytes + data) return offset;
            offset += TfRecordWriter.FramingBytes + (long)data;
        }
        return offset;
    }
}
