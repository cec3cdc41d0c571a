using System.Globalization;
using System.Text.Json;
using ScottPlot;

namespace GpuTrain.Perf;

/// <summary>
/// How a step's cost grows with the batch: reads the JSON lines perf/run.sh collected for the CNN at
/// several batch sizes (DIR/bN.gputrain.json, bN.torch.json, bN.torch-tuned.json), prints ms per step
/// for GpuTrain and the faster PyTorch as a Markdown table, and draws both against the batch size
/// with ScottPlot. Usage: <c>batch-plot DIR -o FILE.svg|.png</c>.
/// </summary>
public static class BatchPlot
{
    /// <summary>Runs the command.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 3 || args[1] != "-o")
        {
            Console.Error.WriteLine("usage: batch-plot DIR -o FILE.svg|.png");
            return 2;
        }
        string dir = args[0], output = args[2];
        var rows = new List<(int Batch, double GpuTrain, double Torch)>();
        foreach (string file in Directory.GetFiles(dir, "b*.gputrain.json"))
        {
            string name = Path.GetFileName(file);
            int batch = int.Parse(name[1..name.IndexOf('.')], CultureInfo.InvariantCulture);
            double torch = new[] { "torch", "torch-tuned" }
                .Select(peer => MsPerStep(Path.Combine(dir, $"b{batch}.{peer}.json")))
                .Where(ms => ms > 0).DefaultIfEmpty(double.NaN).Min();
            rows.Add((batch, MsPerStep(file), torch));
        }
        if (rows.Count == 0)
        {
            Console.Error.WriteLine($"batch-plot: no b*.gputrain.json in {dir}");
            return 2;
        }
        rows.Sort();
        Console.WriteLine("| batch | GpuTrain ms/step | PyTorch ms/step (faster) | GpuTrain ms/example | ratio (PyTorch / GpuTrain time) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (batch, gpuTrain, torch) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch} | {gpuTrain:F1} | {torch:F1} | {gpuTrain / batch:F3} | {torch / gpuTrain:F2} |"));

        var plot = new Plot();
        double[] xs = [.. rows.Select(r => (double)r.Batch)];
        var ours = plot.Add.Scatter(xs, rows.Select(r => r.GpuTrain).ToArray());
        ours.LegendText = "GpuTrain";
        var peer = plot.Add.Scatter(xs, rows.Select(r => r.Torch).ToArray());
        peer.LegendText = "PyTorch (faster of as installed / malloc tuned)";
        plot.Title("Deep MNIST CNN: ms per training step against batch size");
        plot.XLabel("batch size");
        plot.YLabel("ms per step (median window)");
        plot.ShowLegend(Alignment.UpperLeft);
        if (output.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) plot.SavePng(output, 800, 500);
        else plot.SaveSvg(output, 800, 500);
        Console.Error.WriteLine($"wrote {output}");
        return 0;
    }

    private static double MsPerStep(string path)
    {
        if (!File.Exists(path)) return double.NaN;
        string? line = File.ReadLines(path).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (line is null) return double.NaN;
        using var json = JsonDocument.Parse(line);
        return json.RootElement.TryGetProperty("ms_per_step", out var ms) ? ms.GetDouble() : double.NaN;
    }
}
