using System.CommandLine;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// <c>gputrain plot LOGDIR|MODEL... [--tag T]... [--smooth W] [--log-y] [-o FILE.png|.svg]</c>: draws
/// the scalar curves of one or more runs on one chart with ScottPlot, titled with the runs' names; by
/// default the image goes into the (first) run's folder.
/// </summary>
public static class PlotCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var logDirs = new Argument<string[]>("logdir")
        {
            Description = "Log folders (searched recursively for *tfevents* files), event files, or models (mnist-cnn, ...) for their newest run under ./runs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var tags = new Option<string[]>("--tag") { Description = "Plot only these tags; repeat for several (default: every scalar tag).", AllowMultipleArgumentsPerToken = false };
        var smooth = new Option<double>("--smooth") { Description = "TensorBoard's smoothing weight in [0, 1): an EMA drawn over the faded raw curve (0: none).", DefaultValueFactory = _ => 0 };
        var logY = new Option<bool>("--log-y") { Description = "Logarithmic value axis (every value must be positive)." };
        var output = new Option<string?>("--output", "-o") { Description = "The image to write, .png or .svg (default: TAG.png in the first run's folder)." };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => 800 };
        var height = new Option<int>("--height") { Description = "Image height in pixels.", DefaultValueFactory = _ => 500 };
        var command = new Command("plot", "Plot scalar values against step, one line per run and tag, to a PNG or SVG file.")
        {
            logDirs, tags, smooth, logY, output, width, height,
        };
        command.SetAction(parse =>
        {
            double weight = parse.GetValue(smooth);
            if (!(weight >= 0 && weight < 1)) throw new ArgumentException($"--smooth must be in [0, 1) (TensorBoard's slider); got {weight}");
            int w = parse.GetValue(width), h = parse.GetValue(height);
            if (w < 50 || h < 50) throw new ArgumentException($"--width {w} / --height {h}: both must be at least 50 pixels");
            var runs = parse.GetValue(logDirs)!.Select(RunLocator.PathOrNewestRun).ToList();
            string[] only = parse.GetValue(tags) ?? [];
            string path = parse.GetValue(output) ?? DefaultOutput(runs[0], only);
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is not (".png" or ".svg")) throw new ArgumentException($"--output {path}: the file must end in .png or .svg");

            var series = new List<ScalarSeries>();
            foreach (string run in runs)
            {
                var points = ScalarLog.Load(run, tag: null,
                    onTruncated: t => Console.Error.WriteLine("warning: " + t.Message + " (incomplete last record skipped)"));
                if (only.Length > 0) points = points.Where(p => only.Contains(p.Tag)).ToList();
                if (points.Count == 0)
                    throw new ArgumentException(only.Length == 0 ? $"no scalars found in {run}" : $"{run}: no scalars with tag {string.Join(" or ", only.Select(t => $"'{t}'"))}");
                series.AddRange(ScalarSeries.Of(points, runs.Count > 1 ? RunName(run) : null));
            }
            var plot = new ScalarChart(weight, parse.GetValue(logY)).Draw(series, Title(runs, only));
            if (ext == ".png") plot.SavePng(path, w, h); else plot.SaveSvg(path, w, h);
            Console.WriteLine($"wrote {path} ({series.Count} series, {series.Sum(s => s.Steps.Length)} points)");
            return 0;
        });
        return command;
    }

    /// <summary>The run's name: its folder's name (an event file's folder).</summary>
    private static string RunName(string run) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory.Exists(run) ? run : Path.GetDirectoryName(Path.GetFullPath(run))!)));

    private static string Title(List<string> runs, string[] tags) =>
        string.Join(", ", runs.Select(RunName)) + (tags.Length > 0 ? ": " + string.Join(", ", tags) : "");

    private static string DefaultOutput(string run, string[] tags)
    {
        string folder = Directory.Exists(run) ? run : Path.GetDirectoryName(Path.GetFullPath(run))!;
        string name = tags.Length == 0 ? "scalars" : string.Join("+", tags).Replace('/', '_');
        return Path.Combine(folder, name + ".png");
    }
}
