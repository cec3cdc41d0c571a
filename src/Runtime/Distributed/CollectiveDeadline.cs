namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// Ends the job when a collective waits too long: a rank that died, hangs or was stopped leaves the
/// others blocked inside MPI, where no exception can reach them. A watcher thread checks the
/// collective in progress once a second; past the deadline it prints one line naming the collective
/// and the wait, and calls MPI_Abort, which ends every process of the job.
/// </summary>
internal sealed class CollectiveDeadline : IDisposable
{
    private readonly Communicator _world;
    private readonly TimeSpan _limit;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private string? _what;
    private long _since;

    public CollectiveDeadline(Communicator world, TimeSpan limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        _world = world;
        _limit = limit;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Marks <paramref name="what"/> as waiting until the returned scope ends.</summary>
    public Scope Watch(string what)
    {
        lock (_gate)
        {
            _what = what;
            _since = Environment.TickCount64;
        }
        return new Scope(this);
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        string what;
        long waited;
        lock (_gate)
        {
            if (_what is null) return;
            waited = Environment.TickCount64 - _since;
            if (waited < _limit.TotalMilliseconds) return;
            what = _what;
        }
        Console.Error.WriteLine(
            $"error: rank {_world.Rank} of {_world.Size}: no answer from the other ranks for {waited / 1000} s in {what} " +
            $"(a rank died or hangs; limit {_limit.TotalSeconds:F0} s, set by {DataParallel.DeadlineVariable}); ending the job");
        _world.Abort(4);
    }

    private void Done()
    {
        lock (_gate) _what = null;
    }

    /// <summary>The wait of one collective.</summary>
    public readonly struct Scope(CollectiveDeadline owner) : IDisposable
    {
        public void Dispose() => owner.Done();
    }
}
