using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Layers;

/// <summary>One CPU accelerator per test class, so kernels compile once rather than once per test.</summary>
public sealed class CpuDeviceFixture : IDisposable
{
    /// <summary>The shared device.</summary>
    public Device Device { get; } = Device.Open("cpu");

    /// <inheritdoc />
    public void Dispose() => Device.Dispose();
}
