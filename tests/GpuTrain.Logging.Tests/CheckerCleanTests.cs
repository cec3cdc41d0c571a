using GpuTrain.Logging.Graphs;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>Every kind of event file GpuTrain writes passes the independent checker with no error and no warning.</summary>
public class CheckerCleanTests
{
    [SharedFact]
    public void ScalarsPassTheChecker() => AssertClean(w =>
    {
        for (int step = 0; step < 20; step++) w.Scalar("loss", 1f / (step + 1), step);
    });

    [SharedFact]
    public void HistogramsPassTheChecker() => AssertClean(w =>
    {
        var rng = new Random(1);
        float[] values = Enumerable.Range(0, 500).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        w.Histogram("weights", values, 0);
        w.Histogram("zeros", new float[10], 1);
        w.Histogram("empty", [], 2);
    });

    [SharedFact]
    public void TextPassesTheChecker() => AssertClean(w => w.Text("notes", "# hello\n*markdown* text", 3));

    [SharedFact]
    public void ImagesPassTheChecker() => AssertClean(w =>
    {
        w.Image("gray", new byte[6 * 4], 6, 4, 1, 0);
        w.Image("rgb", Enumerable.Range(0, 5 * 7 * 3).Select(i => (byte)i).ToArray(), 5, 7, 3, 0);
        w.Image("rgba", new byte[2 * 2 * 4], 2, 2, 4, 0);
    });

    [SharedFact]
    public void GraphPassesTheChecker() => AssertClean(w => w.Graph(GraphTests.SmallModel()));

    [SharedFact]
    public void SessionLogPassesTheChecker() => AssertClean(w =>
    {
        w.Start(0);
        w.Scalar("loss", 1f, 0);
        w.Start(1);
    });

    private static void AssertClean(Action<SummaryWriter> log)
    {
        using var dir = new TempDir();
        using (var writer = new SummaryWriter(dir.Path)) log(writer);
        TfCheck.AssertClean("events", TestEvents.OnlyFile(dir.Path));
    }
}
