namespace GpuTrain.Runtime.Tests.Training;

/// <summary>A clock the test moves by hand, in milliseconds.</summary>
internal sealed class ManualTime : TimeProvider
{
    public long Milliseconds { get; set; }

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Milliseconds;
}
