using System.Globalization;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Progress on the console: the training line (step, loss, steps/s, ETA) and any other long phase
/// (<see cref="Phase"/>: an evaluation pass, loading a corpus). On a terminal it is one bar redrawn in
/// place with '\r'; when output is redirected (a log file, CI) it prints plain lines, about fifty per
/// training run and one per tenth of a phase that lasts more than a few seconds, so logs stay readable.
/// </summary>
public sealed class ConsoleProgress
{
    private const int BarWidth = 24;
    private readonly TextWriter _out;
    private int _openWidth;

    /// <summary>Writes to <paramref name="output"/>; <paramref name="live"/> redraws one line in place; phases are timed by <paramref name="time"/> (default: the system's clock).</summary>
    public ConsoleProgress(TextWriter output, bool live, TimeProvider? time = null)
    {
        _out = output;
        IsLive = live;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>Progress on the console, live when standard output is a terminal.</summary>
    public static ConsoleProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    /// <summary>Whether lines are redrawn in place (a terminal) rather than printed (a log).</summary>
    public bool IsLive { get; }

    /// <summary>The clock phases are timed by.</summary>
    internal TimeProvider Time { get; }

    /// <summary>Reports that <paramref name="step"/> of <paramref name="total"/> steps are done at <paramref name="stepsPerSecond"/> (the recent rate).</summary>
    public void Step(long step, long total, float loss, double stepsPerSecond)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"step {step}/{total}  loss {loss:F4}  {stepsPerSecond:F2} steps/s  ETA {Eta(total - step, stepsPerSecond)}");
        if (IsLive) Draw(step, total, text);
        else if (step == total || step % Math.Max(1, total / 50) == 0) _out.WriteLine(text);
    }

    /// <summary>Starts showing a phase named <paramref name="name"/>; report (units done, total units) to the result.</summary>
    public IProgress<(long Done, long Total)> Phase(string name) => new PhaseProgress(this, name);

    /// <summary>Prints a message on its own line (an evaluation result, a save), below the live bar.</summary>
    public void Message(string text)
    {
        if (_openWidth > 0) _out.WriteLine();
        _openWidth = 0;
        _out.WriteLine(text);
    }

    /// <summary>Ends the live line.</summary>
    public void Finish()
    {
        if (_openWidth > 0) _out.WriteLine();
        _openWidth = 0;
        _out.Flush();
    }

    /// <summary>The ETA of <paramref name="remaining"/> units at <paramref name="perSecond"/>: "?" before there is a rate.</summary>
    public static string Eta(double remaining, double perSecond) => perSecond > 0 ? FormatDuration(remaining / perSecond) : "?";

    /// <summary>A short duration for the ETA: 42s, 2m05s, 2h01m.</summary>
    public static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    /// <summary>Redraws the live line as a bar at <paramref name="done"/> of <paramref name="total"/> and <paramref name="text"/>.</summary>
    internal void Draw(long done, long total, string text)
    {
        int filled = total > 0 ? (int)(BarWidth * Math.Clamp(done, 0, total) / total) : BarWidth;
        string line = "[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " + text;
        // Pad over what a longer line drawn before left behind.
        _out.Write("\r" + line.PadRight(_openWidth));
        _openWidth = line.Length;
    }

    /// <summary>Wipes the live line (a phase ended; what follows starts at column 0).</summary>
    internal void Erase()
    {
        if (_openWidth == 0) return;
        _out.Write("\r" + new string(' ', _openWidth) + "\r");
        _openWidth = 0;
    }

    /// <summary>Prints a plain progress line (redirected output).</summary>
    internal void Line(string text) => _out.WriteLine(text);
}
