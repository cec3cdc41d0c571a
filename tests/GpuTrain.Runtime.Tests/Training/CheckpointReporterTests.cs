using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Tests.Training;

public sealed class CheckpointReporterTests
{
    [Fact]
    public void ASavesStallIsStartingItPlusTheNextUpdatesWaitForItsStagingCopy()
    {
        var lines = new List<string>();
        var reporter = new CheckpointReporter(1000, log: null, lines.Add);

        reporter.Started(new SaveStart(5, StallMs: 0.25, WaitMs: 0, CopyMs: 0.25, Previous: null));
        reporter.CaptureWaited(4.5);
        reporter.Ended(new SaveOutcome(5, "model.ckpt-5", null, WriteMs: 10, Bytes: 1000));
        reporter.Started(new SaveStart(10, StallMs: 0.5, WaitMs: 0, CopyMs: 0.5, Previous: null));
        reporter.CaptureWaited(0);
        reporter.Finished(new SaveOutcome(10, "model.ckpt-10", null, WriteMs: 10, Bytes: 1000));

        Assert.EndsWith("training stalled 4.8 ms)", lines[0]);
        Assert.EndsWith("training stalled 0.5 ms)", lines[1]);
        Assert.Equal((2.625, 4.75, 0.375), (reporter.Stats.MeanStallMs, reporter.Stats.MaxStallMs, reporter.Stats.MeanCopyMs));
    }

    [Fact]
    public void ANegativeCaptureWaitIsRejected()
    {
        var reporter = new CheckpointReporter(1000, log: null, _ => { });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reporter.CaptureWaited(-1));
        Assert.Equal("waitMs", error.ParamName);
    }
}
