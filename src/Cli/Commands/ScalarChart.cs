using System.Globalization;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Cli.Commands;

/// <summary>
/// Draws scalar series as TensorBoard shows them: with smoothing, the raw curve faded and its EMA on
/// top in the same colour; with a logarithmic value axis, values plotted as log10 with ticks labelled
/// by the values themselves (ScottPlot has no log axis of its own).
/// </summary>
/// <param name="smoothing">TensorBoard's smoothing weight, in [0, 1); 0 draws the raw curves only.</param>
/// <param name="logY">Whether the value axis is logarithmic.</param>
public sealed class ScalarChart(double smoothing, bool logY)
{
    /// <summary>The chart of <paramref name="series"/> titled <paramref name="title"/>.</summary>
    /// <exception cref="ArgumentException">A value is not positive on a logarithmic axis.</exception>
    public ScottPlot.Plot Draw(IReadOnlyList<ScalarSeries> series, string title)
    {
        var plot = new ScottPlot.Plot();
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = plot.Add.Palette.GetColor(i);
            double[] values = logY ? Log10(s) : s.Values;
            var raw = plot.Add.Scatter(s.Steps, values, smoothing > 0 ? color.WithAlpha(0.3) : color);
            raw.MarkerSize = s.Steps.Length > 50 ? 0 : 4;
            if (smoothing > 0)
            {
                var smooth = plot.Add.Scatter(s.Steps, TensorBoardSmoothing.Smooth(values, smoothing), color);
                smooth.MarkerSize = 0;
                smooth.LegendText = s.Label;
            }
            else
            {
                raw.LegendText = s.Label;
            }
        }
        if (logY)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("G4", CultureInfo.InvariantCulture),
            };
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(series.Select(s => s.Label).Distinct().Count() == 1 ? series[0].Label : "value");
        plot.ShowLegend(ScottPlot.Edge.Bottom);  // outside the data area, so no curve is hidden behind it
        return plot;
    }

    private static double[] Log10(ScalarSeries s)
    {
        for (int i = 0; i < s.Values.Length; i++)
            if (!(s.Values[i] > 0))
                throw new ArgumentException($"--log-y: '{s.Label}' has the value {s.Values[i]} at step {s.Steps[i]}; a logarithmic axis needs positive values");
        return s.Values.Select(Math.Log10).ToArray();
    }
}
