using System.CommandLine;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary><c>gputrain plot LOGDIR [--tag loss] -o FILE.png|.svg</c>: draws scalar curves with ScottPlot.</summary>
public static class PlotCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var logDir = new Argument<string>("logdir") { Description = "A log folder (searched recursively for *tfevents* files) or one event file." };
        var tag = new Option<string?>("--tag") { Description = "Plot only this tag (default: every scalar tag)." };
        var output = new Option<string>("--output", "-o") { Description = "The image to write: .png or .svg.", Required = true };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => 800 };
        var height = new Option<int>("--height") { Description = "Image height in pixels.", DefaultValueFactory = _ => 500 };
        var command = new Command("plot", "Plot scalar values against step, one line per tag, to a PNG or SVG file.")
        {
            logDir, tag, output, width, height,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is not (".png" or ".svg")) throw new ArgumentException($"--output {path}: the file must end in .png or .svg");
            int w = parse.GetValue(width), h = parse.GetValue(height);
            if (w < 50 || h < 50) throw new ArgumentException($"--width {w} / --height {h}: both must be at least 50 pixels");
            string? only = parse.GetValue(tag);
            var points = ScalarLog.Load(parse.GetValue(logDir)!, only,
                onTruncated: t => Console.Error.WriteLine("warning: " + t.Message + " (incomplete last record skipped)"));
            if (points.Count == 0)
                throw new ArgumentException(only is null ? "no scalars found in " + parse.GetValue(logDir) : $"no scalars with tag '{only}'");
            var plot = Draw(points, only);
            if (ext == ".png") plot.SavePng(path, w, h); else plot.SaveSvg(path, w, h);
            Console.WriteLine($"wrote {path} ({points.Select(p => p.RunAndTag).Distinct().Count()} series, {points.Count} points)");
            return 0;
        });
        return command;
    }

    private static ScottPlot.Plot Draw(List<ScalarPoint> points, string? tag)
    {
        var plot = new ScottPlot.Plot();
        bool severalRuns = points.Select(p => p.Run).Distinct().Skip(1).Any();
        foreach (var series in points.GroupBy(p => severalRuns ? p.RunAndTag : p.Tag))
        {
            var ordered = series.OrderBy(p => p.Step).ToList();
            var line = plot.Add.Scatter(ordered.Select(p => (double)p.Step).ToArray(), ordered.Select(p => p.Value).ToArray());
            line.LegendText = series.Key;
            line.MarkerSize = ordered.Count > 50 ? 0 : 4;
        }
        plot.Title(tag ?? "scalars");
        plot.XLabel("step");
        plot.YLabel(tag ?? "value");
        plot.ShowLegend(ScottPlot.Edge.Bottom);  // outside the data area, so no curve is hidden behind it
        return plot;
    }
}
