namespace GpuTrain.Runtime.Training;

/// <summary>
/// Steps per second over the last few seconds of work, for an ETA that follows the run as it is now:
/// a cumulative rate keeps the warm-up (kernel compilation, first allocations) in it for the whole
/// run and predicted a CNN run at 55 minutes that took 11.
/// </summary>
/// <param name="window">How much recent work the rate looks at, in seconds.</param>
internal sealed class RecentRate(double window = 10)
{
    private readonly Queue<(long Count, double Seconds)> _samples = new();

    /// <summary>The rate over the window, or 0 before two samples.</summary>
    public double PerSecond { get; private set; }

    /// <summary>Records that <paramref name="count"/> units were done after <paramref name="seconds"/> of work (both cumulative).</summary>
    public void Add(long count, double seconds)
    {
        _samples.Enqueue((count, seconds));
        // Keep one sample at or before the window's start, so the rate always spans the whole window.
        while (_samples.Count > 2 && seconds - _samples.ElementAt(1).Seconds >= window) _samples.Dequeue();
        var (oldCount, oldSeconds) = _samples.Peek();
        if (count > oldCount && seconds > oldSeconds) PerSecond = (count - oldCount) / (seconds - oldSeconds);
        else if (_samples.Count == 1 && count > 0 && seconds > 0) PerSecond = count / seconds;
    }
}
