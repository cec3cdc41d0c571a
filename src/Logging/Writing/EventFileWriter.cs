using Google.Protobuf;
using GpuTrain.Files;
using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Records;
using GpuTrain.Logging.Summaries;
using Microsoft.Win32.SafeHandles;

namespace GpuTrain.Logging.Writing;

/// <summary>
/// Synchronous writer of one event file: creates it in the log folder, writes the file_version event
/// first, then appends events as TFRecords. Records collect in memory and go to the file on
/// <see cref="Flush"/> at the end of what the file already holds; a flush that fails (disk full, I/O
/// error) cuts the file back to its last complete record, so the file never holds half a record
/// followed by more, and the records stay pending until <see cref="Flush"/> succeeds or
/// <see cref="DiscardPending"/> drops them. The file is flock'ed while the writer lives (see
/// <see cref="AbandonedEventTails"/>). Not thread-safe; <see cref="SummaryWriter"/> drives it from
/// its background thread.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly MemoryStream _pending = new();
    private readonly TfRecordWriter _records;
    private byte[] _serialized = new byte[256];
    private readonly Event _versionEvent;
    private long _length;
    private int _pendingEvents;

    /// <summary>Creates the folder if needed and a new event file in it, holding the file_version event once flushed.</summary>
    public EventFileWriter(string logDir)
    {
        if (string.IsNullOrWhiteSpace(logDir)) throw new ArgumentException("log directory must not be empty", nameof(logDir));
        Directory.CreateDirectory(logDir);
        var now = DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(logDir, EventFileName.Create(now));
        _file = File.OpenHandle(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        // Held while this writer lives: a later run cuts an incomplete last record only from a file whose writer is gone.
        if (FileLocks.Supported) FileLocks.TryLockExclusive(_file, Path);
        _records = new TfRecordWriter(_pending);
        _versionEvent = SummaryEvents.FileVersionEvent(now.ToUnixTimeMilliseconds() / 1000.0);
        Write(_versionEvent);
    }

    /// <summary>The event file's full path.</summary>
    public string Path { get; }

    /// <summary>How many events were written to the file, the file_version event included.</summary>
    public long EventsWritten { get; private set; }

    /// <summary>Events written but not yet in the file (they reach it at the next successful <see cref="Flush"/>).</summary>
    public int PendingEvents => _pendingEvents;

    /// <summary>Appends one event (in memory until the next <see cref="Flush"/>).</summary>
    public void Write(Event e)
    {
        int size = e.CalculateSize();
        if (_serialized.Length < size) _serialized = new byte[Math.Max(size, _serialized.Length * 2)];
        Span<byte> bytes = _serialized.AsSpan(0, size);
        e.WriteTo(bytes);
        _records.Write(bytes);
        _pendingEvents++;
    }

    /// <summary>
    /// Hands the pending records to the operating system, so a killed process loses none of them.
    /// On failure the file is cut back to its last complete record and the records stay pending.
    /// </summary>
    /// <exception cref="IOException">The write failed.</exception>
    public void Flush()
    {
        if (_pending.Length == 0) return;
        try
        {
            RandomAccess.Write(_file, _pending.GetBuffer().AsSpan(0, (int)_pending.Length), _length);
        }
        catch (IOException)
        {
            try
            {
                RandomAccess.SetLength(_file, _length);
            }
            catch (IOException)
            {
                // Cutting never needs space; if even that fails the reader sees a truncated tail, which it reports as such.
            }
            throw;
        }
        _length += _pending.Length;
        EventsWritten += _pendingEvents;
        _pending.SetLength(0);
        _pendingEvents = 0;
    }

    /// <summary>
    /// Drops the pending records and returns how many events they held; the file_version event, which
    /// must open the file, stays pending until it is in the file.
    /// </summary>
    public int DiscardPending()
    {
        int dropped = _pendingEvents;
        _pending.SetLength(0);
        _pendingEvents = 0;
        if (_length > 0) return dropped;
        Write(_versionEvent);
        return dropped - 1;
    }

    /// <summary>Flushes the pending records and closes the file (closed even when the flush fails).</summary>
    /// <exception cref="IOException">The last flush failed.</exception>
    public void Dispose()
    {
        try
        {
            if (!_file.IsClosed) Flush();
        }
        finally
        {
            _file.Dispose();
            _pending.Dispose();
        }
    }
}
