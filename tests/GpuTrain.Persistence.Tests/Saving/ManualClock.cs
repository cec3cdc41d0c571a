namespace GpuTrain.Persistence.Tests.Saving;

/// <summary>A clock the test moves by hand (for keep_checkpoint_every_n_hours).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
