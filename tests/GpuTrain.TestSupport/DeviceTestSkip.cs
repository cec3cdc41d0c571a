namespace GpuTrain.TestSupport;

/// <summary>Why a device test is skipped, shared by <see cref="DeviceFactAttribute"/> and <see cref="DeviceTheoryAttribute"/> (xunit needs one attribute type of each kind).</summary>
internal static class DeviceTestSkip
{
    /// <summary>The test device is absent, or the test needs ../shared and that is absent; null when it can run.</summary>
    public static string? Reason(bool needsShared) =>
        TestDevice.UnavailableReason ?? (needsShared && SharedDir.Path is null ? SharedDir.MissingReason : null);
}
