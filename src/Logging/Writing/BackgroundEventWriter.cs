using System.Diagnostics;
using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Writing;

/// <summary>
/// Moves event building, serialization and file I/O off the training thread. Callers enqueue a builder
/// into a bounded FIFO queue; one background thread builds, writes and flushes every
/// <see cref="SummaryWriterOptions.FlushInterval"/>. A full queue blocks the caller (and the wait is
/// counted) rather than dropping data. An I/O failure on the background thread is rethrown to the next
/// caller, so losing data is never silent.
/// </summary>
public sealed class BackgroundEventWriter : IDisposable
{
    private readonly record struct Pending(Func<Event>? Build, ManualResetEventSlim? Flushed);

    private readonly EventFileWriter _file;
    private readonly BoundedBatchQueue<Pending> _queue;
    private readonly TimeSpan _flushInterval;
    private readonly Thread _thread;
    private Exception? _failure;
    private long _queued;
    private long _written;
    private long _blockedCalls;
    private long _blockedTicks;
    private int _disposed;

    /// <summary>Starts the background thread writing to <paramref name="file"/>, which it then owns.</summary>
    public BackgroundEventWriter(EventFileWriter file, SummaryWriterOptions options)
    {
        if (options.QueueCapacity < 1) throw new ArgumentException($"QueueCapacity {options.QueueCapacity} must be at least 1", nameof(options));
        if (options.FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"FlushInterval {options.FlushInterval} must be positive", nameof(options));
        _file = file;
        _flushInterval = options.FlushInterval;
        _queue = new BoundedBatchQueue<Pending>(options.QueueCapacity);
        _thread = new Thread(Run) { IsBackground = true, Name = "GpuTrain event writer" };
        _thread.Start();
    }

    /// <summary>The counters so far.</summary>
    public EventWriterStats Stats => new(
        Interlocked.Read(ref _queued), Interlocked.Read(ref _written), Interlocked.Read(ref _blockedCalls),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _blockedTicks)));

    /// <summary>Queues an event builder; it runs on the background thread, in enqueue order.</summary>
    public void Enqueue(Func<Event> build)
    {
        ThrowIfFailedOrDisposed();
        Add(new Pending(build, null));
        Interlocked.Increment(ref _queued);
    }

    /// <summary>Blocks until every event queued before this call is written and handed to the operating system.</summary>
    public void Flush()
    {
        ThrowIfFailedOrDisposed();
        using var done = new ManualResetEventSlim();
        Add(new Pending(null, done));
        done.Wait();
        ThrowIfFailedOrDisposed();
    }

    /// <summary>Writes everything still queued, flushes and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Complete();
        _thread.Join();
        _file.Dispose();
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
                Guarded(_file.Flush);
                nextFlush = Stopwatch.GetTimestamp() + (long)(_flushInterval.TotalSeconds * Stopwatch.Frequency);
            }
        }
        Guarded(_file.Flush);
    }

    private void Process(Pending item)
    {
        if (item.Build is not null)
        {
            Guarded(() =>
            {
                _file.Write(item.Build());
                Interlocked.Increment(ref _written);
            });
            return;
        }
        Guarded(_file.Flush);
        item.Flushed!.Set();
    }

    private void Guarded(Action action)
    {
        if (_failure is not null) return;  // the first failure is kept and reported; later writes would only fail again
        try { action(); }
        catch (Exception e) { Volatile.Write(ref _failure, e); }
    }

    private void ThrowIfFailedOrDisposed()
    {
        if (Volatile.Read(ref _failure) is not null) throw Failed();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    private IOException Failed() =>
        new($"event file {_file.Path}: background writer failed, later events were not written: {_failure!.Message}", _failure);
}
