using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>
/// Every kind of event file GpuTrain writes passes the independent checker with no error and no warning.
/// One file per kind plus one holding every kind, checked in a single checker run (python starts slowly
/// on a loaded machine); the checker's output names the file of any failure.
/// </summary>
public class CheckerCleanTests
{
    private static readonly Dictionary<string, Action<SummaryWriter>> Kinds = new()
    {
        ["scalars"] = w =>
        {
            for (int step = 0; step < 20; step++) w.Scalar("loss", 1f / (step + 1), step);
        },
        ["histograms"] = w =>
        {
            var rng = new Random(1);
            w.Histogram("weights", Enumerable.Range(0, 500).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray(), 0);
            w.Histogram("zeros", new float[10], 1);
            w.Histogram("empty", [], 2);
        },
        ["text"] = w => w.Text("notes", "# hello\n*markdown* text", 3),
        ["images"] = w =>
        {
            w.Image("gray", new byte[6 * 4], 6, 4, 1, 0);
            w.Image("rgb", Enumerable.Range(0, 5 * 7 * 3).Select(i => (byte)i).ToArray(), 5, 7, 3, 0);
            w.Image("rgba", new byte[2 * 2 * 4], 2, 2, 4, 0);
        },
        ["graph"] = w => w.Graph(GraphTests.SmallModel()),
        ["session_log"] = w =>
        {
            w.Start(0);
            w.Scalar("loss", 1f, 0);
            w.Start(1);
        },
    };

    [SharedFact]
    public void EveryKindOfEventFilePassesTheChecker()
    {
        using var dir = new TempDir();
        foreach (var (kind, log) in Kinds)
            using (var w = new SummaryWriter(dir.Combine(kind))) log(w);
        using (var all = new SummaryWriter(dir.Combine("all")))
            foreach (var log in Kinds.Values) log(all);

        var files = Directory.GetFiles(dir.Path, "*tfevents*", SearchOption.AllDirectories);
        Assert.Equal(Kinds.Count + 1, files.Length);
        TfCheck.AssertClean("events", files);
    }
}
