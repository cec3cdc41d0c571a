using System.Diagnostics;
using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Writing;

/// <summary>
/// Moves event building, serialization and file I/O off the training thread. Callers enqueue a builder
/// into a bounded FIFO queue; one background thread builds, writes and flushes every
/// <see cref="SummaryWriterOptions.FlushInterval"/>. A full queue blocks the caller (and the wait is
/// counted) rather than dropping data.
/// </summary>
/// <remarks>
/// Logs must never cost a training run, so a failed write (disk full, I/O error) is the checkpoint
/// side's policy: reported once with the file and the cause, then logging pauses for
/// <see cref="SummaryWriterOptions.RetryInterval"/> (the events of the pause are counted as lost, not
/// kept: memory stays bounded) and tries again; the file is cut back to its last complete record, so
/// it stays readable. <see cref="Dispose"/> reports how many events were lost. Anything else failing on
/// the background thread is a bug and is rethrown to the next caller.
/// </remarks>
internal sealed class BackgroundEventWriter : IDisposable
{
    private readonly record struct Pending(Func<Event>? Build, ManualResetEventSlim? Flushed);

    private readonly EventFileWriter _file;
    private readonly BoundedBatchQueue<Pending> _queue;
    private readonly TimeSpan _flushInterval;
    private readonly TimeSpan _retryInterval;
    private readonly Action<string> _report;
    private readonly Thread _thread;
    private Exception? _failure;
    private string? _firstWriteFailure;
    private long _pausedUntil;
    private bool _paused;
    private long _queued;
    private long _written;
    private long _lost;
    private long _lostInPause;
    private long _blockedCalls;
    private long _blockedTicks;
    private int _disposed;

    /// <summary>Starts the background thread writing to <paramref name="file"/>, which it then owns.</summary>
    public BackgroundEventWriter(EventFileWriter file, SummaryWriterOptions options)
    {
        if (options.QueueCapacity < 1) throw new ArgumentException($"QueueCapacity {options.QueueCapacity} must be at least 1", nameof(options));
        if (options.FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"FlushInterval {options.FlushInterval} must be positive", nameof(options));
        if (options.RetryInterval <= TimeSpan.Zero) throw new ArgumentException($"RetryInterval {options.RetryInterval} must be positive", nameof(options));
        _file = file;
        _flushInterval = options.FlushInterval;
        _retryInterval = options.RetryInterval;
        _report = options.Report;
        _queue = new BoundedBatchQueue<Pending>(options.QueueCapacity);
        _thread = new Thread(Run) { IsBackground = true, Name = "GpuTrain event writer" };
        _thread.Start();
    }

    /// <summary>The counters so far.</summary>
    public EventWriterStats Stats => new(
        Interlocked.Read(ref _queued), Interlocked.Read(ref _written), Interlocked.Read(ref _blockedCalls),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _blockedTicks)), Interlocked.Read(ref _lost));

    /// <summary>Queues an event builder; it runs on the background thread, in enqueue order.</summary>
    public void Enqueue(Func<Event> build)
    {
        ThrowIfFailedOrDisposed();
        Add(new Pending(build, null));
        Interlocked.Increment(ref _queued);
    }

    /// <summary>
    /// Blocks until every event queued before this call is written and handed to the operating system,
    /// or counted as lost while writing is paused (see the remarks).
    /// </summary>
    public void Flush()
    {
        ThrowIfFailedOrDisposed();
        using var done = new ManualResetEventSlim();
        Add(new Pending(null, done));
        done.Wait();
        ThrowIfFailedOrDisposed();
    }

    /// <summary>Writes everything still queued (one last try even while paused), reports what was lost, and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Complete();
        _thread.Join();
        _paused = false;
        TryFlush();
        Lose(_file.DiscardPending());
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Only the file_version record can be left when nothing could ever be written; the file stays empty.
        }
        if (_lost > 0)
        {
            _report($"logging: {_lost} of {_queued} events were not written to {_file.Path} (first failure: {_firstWriteFailure}); " +
                "the events in that file are complete up to each pause");
        }
        if (_failure is not null) throw Failed();
    }

    private void Add(Pending item)
    {
        try
        {
            if (_queue.TryAdd(item)) return;
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(BackgroundEventWriter), "the event writer was disposed while logging");
        }
        long start = Stopwatch.GetTimestamp();
        _queue.Add(item);
        Interlocked.Add(ref _blockedTicks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _blockedCalls);
    }

    private void Run()
    {
        long nextFlush = Stopwatch.GetTimestamp() + (long)(_flushInterval.TotalSeconds * Stopwatch.Frequency);
        var batch = new List<Pending>();
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            var wait = TimeSpan.FromSeconds(Math.Max(0, nextFlush - now) / (double)Stopwatch.Frequency);
            if (!_queue.TakeAll(ref batch, wait)) break;
            foreach (var item in batch) Process(item);
            batch.Clear();
            if (Stopwatch.GetTimestamp() >= nextFlush)
            {
                TryFlush();
                nextFlush = Stopwatch.GetTimestamp() + (long)(_flushInterval.TotalSeconds * Stopwatch.Frequency);
            }
        }
    }

    private void Process(Pending item)
    {
        if (item.Build is null)
        {
            TryFlush();
            item.Flushed!.Set();
            return;
        }
        if (_failure is not null) return;
        if (_paused && Stopwatch.GetTimestamp() < _pausedUntil)
        {
            Lose(1); // not even built: a pause costs no memory and no time
            return;
        }
        try
        {
            _file.Write(item.Build());
        }
        catch (Exception e)
        {
            // Building and serializing touch no file: a failure here is a bug, for the caller to see.
            Volatile.Write(ref _failure, e);
        }
    }

    private void TryFlush()
    {
        if (_paused && Stopwatch.GetTimestamp() < _pausedUntil) return;
        try
        {
            _file.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Lose(_file.DiscardPending());
            _pausedUntil = Stopwatch.GetTimestamp() + (long)(_retryInterval.TotalSeconds * Stopwatch.Frequency);
            if (_firstWriteFailure is null)
            {
                _firstWriteFailure = e.Message;
                _report($"logging: event file {_file.Path} cannot be written ({e.Message}); training goes on, logging pauses and retries " +
                    $"every {_retryInterval.TotalSeconds:0} s, and the events in between are lost");
            }
            _paused = true;
            return;
        }
        Interlocked.Exchange(ref _written, Math.Max(0, _file.EventsWritten - 1));
        if (_paused)
        {
            _paused = false;
            _report($"logging: event file {_file.Path} is written again; {_lostInPause} events were lost while it could not be");
            _lostInPause = 0;
        }
    }

    private void Lose(long events)
    {
        Interlocked.Add(ref _lost, events);
        _lostInPause += events;
    }

    private void ThrowIfFailedOrDisposed()
    {
        if (Volatile.Read(ref _failure) is not null) throw Failed();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    private InvalidOperationException Failed() =>
        new($"event file {_file.Path}: building an event failed on the background writer, later events were not written: {_failure!.Message}", _failure);
}
