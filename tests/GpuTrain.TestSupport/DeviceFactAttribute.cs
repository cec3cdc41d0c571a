namespace GpuTrain.TestSupport;

/// <summary>
/// A fact run on <see cref="TestDevice"/>; skipped, with the reason, where that device is absent (or,
/// with <see cref="NeedsShared"/>, where ../shared is).
/// </summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    private bool _needsShared;

    /// <summary>Sets Skip when the device is missing.</summary>
    public DeviceFactAttribute()
    {
        if (TestDevice.UnavailableReason is { } reason) Skip = reason;
    }

    /// <summary>The test also needs ../shared (fixtures, the checker).</summary>
    public bool NeedsShared
    {
        get => _needsShared;
        set
        {
            _needsShared = value;
            if (value && Skip is null && SharedDir.Path is null) Skip = SharedDir.MissingReason;
        }
    }
}
