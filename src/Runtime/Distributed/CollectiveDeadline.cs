using System.Globalization;

namespace GpuTrain.Runtime.Distributed;

/// <summary>
/// Ends the job when any collective waits too long: a rank that died, hangs or was stopped leaves the
/// others blocked inside MPI, where no exception can reach them, and not only in a step's allreduce
/// (the checkpoint's gather and broadcasts on the saving thread, the training thread's loss mean,
/// the state broadcasts, MPI_Finalize). Every MPI call of a communicator and of its duplicates is
/// watched, per thread; a watcher thread of its own (not the thread pool, which a loaded machine can
/// starve) checks the oldest wait twice a second, and past the deadline prints one line naming the
/// rank, the collective, what it was for and the limit, and calls MPI_Abort, which ends every process
/// of the job. Nothing is committed by an aborted save: the checkpoint commits at the index and state
/// file, which rank 0 writes only after every shard arrived.
/// </summary>
internal sealed class CollectiveDeadline
{
    /// <summary>The variable that sets how long a rank waits for the others in any collective, in seconds.</summary>
    public const string Variable = "GPUTRAIN_MPI_TIMEOUT";

    /// <summary>The default wait: long enough for rank 0's evaluations and checkpoint stalls between steps.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(10);

    [ThreadStatic] private static string? t_purpose;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, (string What, long Since)> _waits = [];
    private readonly Action<int> _abort;
    private readonly string _rank;

    /// <summary>Watches collectives of rank <paramref name="rank"/> of <paramref name="size"/>; <paramref name="abort"/> ends the job.</summary>
    public CollectiveDeadline(int rank, int size, TimeSpan limit, Action<int> abort)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        Limit = limit;
        _abort = abort;
        _rank = $"rank {rank} of {size}";
        new Thread(WatchLoop) { IsBackground = true, Name = "MPI collective deadline" }.Start();
    }

    /// <summary>How long one collective may wait.</summary>
    public TimeSpan Limit { get; }

    /// <summary>The deadline set by <see cref="Variable"/> in <paramref name="environment"/>, else <see cref="Default"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is not a positive number of seconds.</exception>
    public static TimeSpan FromEnvironment(Func<string, string?> environment)
    {
        string? text = environment(Variable);
        if (text is null) return Default;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || double.IsInfinity(seconds))
            throw new InvalidOperationException($"{Variable}={text} is not a positive number of seconds");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Names what this thread's collectives are for (e.g. "the gradient allreduce of step 12") until
    /// the returned scope ends; the deadline's line says it beside the MPI call.
    /// </summary>
    public static Purpose For(string purpose)
    {
        string? outer = t_purpose;
        t_purpose = purpose;
        return new Purpose(outer);
    }

    /// <summary>Marks this thread as waiting in <paramref name="call"/> until the returned scope ends.</summary>
    public Scope Watch(string call)
    {
        string what = t_purpose is { } purpose ? $"{purpose} ({call})" : call;
        int thread = Environment.CurrentManagedThreadId;
        lock (_gate) _waits[thread] = (what, Environment.TickCount64);
        return new Scope(this, thread);
    }

    private void WatchLoop()
    {
        while (true)
        {
            Thread.Sleep(500);
            string what;
            long waited;
            lock (_gate)
            {
                if (_waits.Count == 0) continue;
                (what, long since) = _waits.Values.MinBy(w => w.Since);
                waited = Environment.TickCount64 - since;
                if (waited < Limit.TotalMilliseconds) continue;
            }
            Console.Error.WriteLine(
                $"error: {_rank}: no answer from the other ranks for {waited / 1000} s in {what} " +
                $"(a rank died or hangs; limit {Limit.TotalSeconds:0.###} s, set by {Variable}); ending the job");
            _abort(4);
            return;
        }
    }

    private void Done(int thread)
    {
        lock (_gate) _waits.Remove(thread);
    }

    /// <summary>The wait of one MPI call.</summary>
    public readonly struct Scope(CollectiveDeadline owner, int thread) : IDisposable
    {
        public void Dispose() => owner.Done(thread);
    }

    /// <summary>The naming of one thread's collectives; restores the outer name when it ends.</summary>
    public readonly struct Purpose(string? outer) : IDisposable
    {
        public void Dispose() => t_purpose = outer;
    }
}
