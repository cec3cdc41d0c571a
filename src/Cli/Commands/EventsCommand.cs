using System.CommandLine;
using System.Globalization;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain events LOGDIR [--tag T] [--csv]</c>: prints the scalars of TensorBoard event files.</summary>
public static class EventsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var logDir = new Argument<string>("logdir") { Description = "A log folder (searched recursively for *tfevents* files) or one event file." };
        var tag = new Option<string?>("--tag") { Description = "Print only this tag." };
        var csv = new Option<bool>("--csv") { Description = "Comma-separated output with a header line." };
        var command = new Command("events",
            "Print step, wall_time, tag and value of every scalar (simple_value or TF2 scalar tensor), as TensorBoard shows them: "
            + "points a later restart (SessionLog START) superseded are left out.")
        {
            logDir, tag, csv,
        };
        command.SetAction(parse =>
        {
            var points = ScalarLog.Load(parse.GetValue(logDir)!, parse.GetValue(tag),
                onTruncated: t => Console.Error.WriteLine("warning: " + t.Message + " (incomplete last record skipped)"));
            Print(points, parse.GetValue(csv), Console.Out);
            return 0;
        });
        return command;
    }

    private static void Print(List<ScalarPoint> points, bool csv, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        // Several runs (train/, validation/ ...) share tag names: then each tag is shown as run/tag.
        bool severalRuns = points.Select(p => p.Run).Distinct().Skip(1).Any();
        if (csv) output.WriteLine("step,wall_time,tag,value");
        foreach (var p in points)
        {
            string label = severalRuns ? p.RunAndTag : p.Tag;
            string wall = p.WallTime.ToString("F3", inv);
            string value = p.Value.ToString("R", inv);
            output.WriteLine(csv
                ? $"{p.Step},{wall},{CsvField(label)},{value}"
                : $"{p.Step,10}  {wall}  {label}  {value}");
        }
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
