using Google.Protobuf;
using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Records;
using GpuTrain.Logging.Summaries;

namespace GpuTrain.Logging.Writing;

/// <summary>
/// Synchronous writer of one event file: creates it in the log folder, writes the file_version event
/// first, then appends events as TFRecords. Not thread-safe; <see cref="SummaryWriter"/> drives it from
/// its background thread.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly TfRecordWriter _records;
    private byte[] _serialized = new byte[256];

    /// <summary>Creates the folder if needed and a new event file in it.</summary>
    public EventFileWriter(string logDir)
    {
        if (string.IsNullOrWhiteSpace(logDir)) throw new ArgumentException("log directory must not be empty", nameof(logDir));
        Directory.CreateDirectory(logDir);
        var now = DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(logDir, EventFileName.Create(now));
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _records = new TfRecordWriter(_stream);
        Write(SummaryEvents.FileVersionEvent(now.ToUnixTimeMilliseconds() / 1000.0));
        Flush();
    }

    /// <summary>The event file's full path.</summary>
    public string Path { get; }

    /// <summary>How many events were written, the file_version event included.</summary>
    public long EventsWritten { get; private set; }

    /// <summary>Appends one event.</summary>
    public void Write(Event e)
    {
        int size = e.CalculateSize();
        if (_serialized.Length < size) _serialized = new byte[Math.Max(size, _serialized.Length * 2)];
        Span<byte> bytes = _serialized.AsSpan(0, size);
        e.WriteTo(bytes);
        _records.Write(bytes);
        EventsWritten++;
    }

    /// <summary>Hands buffered records to the operating system, so a killed process loses none of them.</summary>
    public void Flush() => _stream.Flush(flushToDisk: false);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
