using System.Globalization;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The training progress line: step, loss, steps/s and ETA. On a terminal it is one bar redrawn in
/// place with '\r'; when output is redirected (a log file, CI) it prints plain lines, about fifty per
/// run, so logs stay readable.
/// </summary>
public sealed class ConsoleProgress
{
    private const int BarWidth = 24;
    private readonly TextWriter _out;
    private readonly bool _live;
    private bool _lineOpen;

    /// <summary>Writes to <paramref name="output"/>; <paramref name="live"/> redraws one line in place.</summary>
    public ConsoleProgress(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>Progress on the console, live when standard output is a terminal.</summary>
    public static ConsoleProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    /// <summary>Reports that <paramref name="step"/> of <paramref name="total"/> steps are done.</summary>
    public void Step(long step, long total, float loss, double stepsPerSecond)
    {
        string eta = stepsPerSecond > 0 ? FormatDuration((total - step) / stepsPerSecond) : "?";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"step {step}/{total}  loss {loss:F4}  {stepsPerSecond:F2} steps/s  ETA {eta}");
        if (_live)
        {
            int filled = total > 0 ? (int)(BarWidth * step / total) : BarWidth;
            _out.Write("\r[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " + text + "   ");
            _lineOpen = true;
        }
        else if (step == total || step % Math.Max(1, total / 50) == 0)
        {
            _out.WriteLine(text);
        }
    }

    /// <summary>Prints a message on its own line (an evaluation result), below the live bar.</summary>
    public void Message(string text)
    {
        if (_lineOpen) _out.WriteLine();
        _lineOpen = false;
        _out.WriteLine(text);
    }

    /// <summary>Ends the live line.</summary>
    public void Finish()
    {
        if (_lineOpen) _out.WriteLine();
        _lineOpen = false;
        _out.Flush();
    }

    /// <summary>A short duration for the ETA: 42s, 2m05s, 2h01m.</summary>
    public static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }
}
