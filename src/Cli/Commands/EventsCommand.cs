using System.CommandLine;
using System.Globalization;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain events LOGDIR|MODEL [--tag T] [--csv]</c>: prints the scalars of TensorBoard event
/// files, as a table with a header and local times, or as CSV with Unix wall times.
/// </summary>
public static class EventsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var logDir = new Argument<string>("logdir") { Description = "A log folder (searched recursively for *tfevents* files), one event file, or a model (mnist-cnn, ...) for its newest run under ./runs." };
        var tag = new Option<string?>("--tag") { Description = "Print only this tag." };
        var csv = new Option<bool>("--csv") { Description = "Comma-separated output with a header line; wall_time in Unix seconds." };
        var command = new Command("events",
            "Print step, time, tag and value of every scalar (simple_value or TF2 scalar tensor), as TensorBoard shows them: "
            + "points a later restart (SessionLog START) superseded are left out.")
        {
            logDir, tag, csv,
        };
        command.SetAction(parse =>
        {
            var points = ScalarLog.Load(RunLocator.PathOrNewestRun(parse.GetValue(logDir)!), parse.GetValue(tag),
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
        if (csv)
        {
            output.WriteLine("step,wall_time,tag,value");
            foreach (var p in points)
                output.WriteLine($"{p.Step},{p.WallTime.ToString("F3", inv)},{CsvField(Label(p))},{p.Value.ToString("R", inv)}");
            return;
        }
        int width = points.Select(p => Label(p).Length).DefaultIfEmpty(3).Max();
        output.WriteLine($"{"step",10}  {"time (local)",-23}  {"tag".PadRight(width)}  value");
        foreach (var p in points)
        {
            string time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(p.WallTime * 1000)).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", inv);
            output.WriteLine($"{p.Step,10}  {time,-23}  {Label(p).PadRight(width)}  {p.Value.ToString("G7", inv)}");
        }

        string Label(ScalarPoint p) => severalRuns ? p.RunAndTag : p.Tag;
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
