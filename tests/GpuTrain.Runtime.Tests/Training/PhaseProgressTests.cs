using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Tests.Training;

public sealed class PhaseProgressTests
{
    [Fact]
    public void AShortPhaseStaysSilent()
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var phase = new ConsoleProgress(output, live: false, time).Phase("valid perplexity");
        for (int i = 1; i <= 100; i++)
        {
            time.Milliseconds += 10; // 1 s in all
            phase.Report((i, 100));
        }
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void ALongPhaseLogsATenthAtATimeWithTheRecentEta()
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var phase = new ConsoleProgress(output, live: false, time).Phase("test perplexity");
        for (int i = 1; i <= 1000; i++)
        {
            time.Milliseconds += 20; // 50 batches/s, 20 s in all
            phase.Report((i, 1000));
        }
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Silent for the first 3 s (150 batches), then a line at once and one per tenth, none at the end (the result follows).
        Assert.Equal(["test perplexity: 150/1000 (15%)  ETA 17s", "test perplexity: 200/1000 (20%)  ETA 16s", "test perplexity: 300/1000 (30%)  ETA 14s",
            "test perplexity: 400/1000 (40%)  ETA 12s", "test perplexity: 500/1000 (50%)  ETA 10s",
            "test perplexity: 600/1000 (60%)  ETA 8s", "test perplexity: 700/1000 (70%)  ETA 6s",
            "test perplexity: 800/1000 (80%)  ETA 4s", "test perplexity: 900/1000 (90%)  ETA 2s"], lines);
    }

    [Fact]
    public void OnATerminalAPhaseRedrawsItsBarAndWipesItWhenDone()
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var progress = new ConsoleProgress(output, live: true, time);
        var phase = progress.Phase("eval");
        for (int i = 1; i <= 10; i++)
        {
            time.Milliseconds += 500;
            phase.Report((i, 10));
        }
        progress.Message("accuracy 99%");
        string text = output.ToString().Replace("\r\n", "\n");
        Assert.Contains("\r[#########...............] eval: 4/10 (40%)  ETA 3s", text);
        Assert.EndsWith("\r" + new string(' ', "[#####################...] eval: 9/10 (90%)  ETA 1s".Length) + "\raccuracy 99%\n", text);
    }
}
