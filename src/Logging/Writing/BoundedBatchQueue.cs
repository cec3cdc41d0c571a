namespace GpuTrain.Logging.Writing;

/// <summary>
/// A bounded multi-producer, single-consumer FIFO whose consumer takes everything queued in one step.
/// Signalling per batch rather than per item (as BlockingCollection does) keeps a full queue from turning
/// into a wake-up ping-pong between the producer and the writer thread: measured, that halved throughput.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class BoundedBatchQueue<T>
{
    private readonly object _lock = new();
    private readonly int _capacity;
    private List<T> _items = [];
    private bool _completed;
    private bool _consumerWaiting;
    private int _producersWaiting;

    /// <summary>A queue holding at most <paramref name="capacity"/> items.</summary>
    public BoundedBatchQueue(int capacity)
    {
        if (capacity < 1) throw new ArgumentException($"queue capacity {capacity} must be at least 1", nameof(capacity));
        _capacity = capacity;
    }

    /// <summary>Adds without waiting; false when the queue is full.</summary>
    public bool TryAdd(T item)
    {
        lock (_lock)
        {
            ThrowIfCompleted();
            if (_items.Count >= _capacity) return false;
            AddLocked(item);
            return true;
        }
    }

    /// <summary>Adds, waiting for room while the queue is full.</summary>
    public void Add(T item)
    {
        lock (_lock)
        {
            while (_items.Count >= _capacity && !_completed)
            {
                _producersWaiting++;
                Monitor.Wait(_lock);
                _producersWaiting--;
            }
            ThrowIfCompleted();
            AddLocked(item);
        }
    }

    /// <summary>
    /// Moves every queued item into <paramref name="batch"/> (which must be empty), waiting up to
    /// <paramref name="timeout"/> for one to arrive. False when the queue is completed and empty.
    /// </summary>
    public bool TakeAll(ref List<T> batch, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_items.Count == 0 && !_completed)
            {
                _consumerWaiting = true;
                Monitor.Wait(_lock, timeout);
                _consumerWaiting = false;
            }
            if (_items.Count == 0) return !_completed;
            (batch, _items) = (_items, batch);
            if (_producersWaiting > 0) Monitor.PulseAll(_lock);
            return true;
        }
    }

    /// <summary>Refuses further items; the consumer still gets those already queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private void AddLocked(T item)
    {
        _items.Add(item);
        if (_consumerWaiting) Monitor.PulseAll(_lock);
    }

    private void ThrowIfCompleted()
    {
        if (_completed) throw new InvalidOperationException("the queue no longer accepts items (writer disposed)");
    }
}
