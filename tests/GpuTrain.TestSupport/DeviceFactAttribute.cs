namespace GpuTrain.TestSupport;

/// <summary>
/// A fact run on <see cref="TestDevice"/>; skipped, with the reason, where that device is absent (or,
/// with <see cref="NeedsShared"/>, where ../shared is).
/// </summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    private bool _needsShared;

    /// <summary>Sets Skip when the device is missing.</summary>
    public DeviceFactAttribute() => Skip = DeviceTestSkip.Reason(needsShared: false);

    /// <summary>The test also needs ../shared (fixtures, the checker).</summary>
    public bool NeedsShared
    {
        get => _needsShared;
        set
        {
            _needsShared = value;
            Skip = DeviceTestSkip.Reason(value);
        }
    }
}
