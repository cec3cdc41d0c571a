using System.Globalization;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// One long phase on a <see cref="ConsoleProgress"/>: a valid or test perplexity pass, an evaluation,
/// loading a corpus. It stays silent for its first second (most phases are short), then shows units
/// done, the total and an ETA from the recent rate: redrawn in place on a terminal (at most four times
/// a second), or as a plain line at each tenth once the phase has run for a few seconds.
/// </summary>
internal sealed class PhaseProgress(ConsoleProgress console, string name) : IProgress<(long Done, long Total)>
{
    private const double QuietSeconds = 1, LoggedAfterSeconds = 3, RedrawSeconds = 0.25;
    private readonly long _start = console.Time.GetTimestamp();
    private readonly RecentRate _rate = new();
    private double _lastDrawn = double.NegativeInfinity;
    private long _lastTenth;
    private bool _drawn;

    /// <summary>Records that <paramref name="value"/>.Done of its Total units are done.</summary>
    public void Report((long Done, long Total) value)
    {
        var (done, total) = value;
        double seconds = console.Time.GetElapsedTime(_start).TotalSeconds;
        _rate.Add(done, seconds);
        if (done >= total)
        {
            if (_drawn) console.Erase();
            return;
        }
        if (seconds < QuietSeconds) return;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {done}/{total} ({100.0 * done / total:F0}%)  ETA {ConsoleProgress.Eta(total - done, _rate.PerSecond)}");
        if (console.IsLive)
        {
            if (seconds - _lastDrawn < RedrawSeconds) return;
            console.Draw(done, total, text);
            _lastDrawn = seconds;
            _drawn = true;
        }
        else
        {
            long tenth = 10 * done / total;
            if (tenth == _lastTenth || seconds < LoggedAfterSeconds) return;
            _lastTenth = tenth;
            console.Line(text);
        }
    }
}
