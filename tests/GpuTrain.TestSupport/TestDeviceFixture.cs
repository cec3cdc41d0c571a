using GpuTrain.Runtime.Devices;

namespace GpuTrain.TestSupport;

/// <summary>
/// <see cref="TestDevice"/> opened once for the tests that share the fixture, so each kernel compiles
/// once (an OpenCL compiler takes a second or more per kernel). Opened on first use: where the device
/// is absent the tests are skipped and it is never opened.
/// </summary>
public class TestDeviceFixture : IDisposable
{
    private readonly Lazy<Device> _device;

    /// <summary>A fixture whose CPU accelerator runs kernels on host threads (as training does).</summary>
    public TestDeviceFixture() : this(CpuKernelExecution.HostThreads) { }

    /// <summary>A fixture whose CPU accelerator runs kernels as <paramref name="cpuExecution"/> says.</summary>
    protected TestDeviceFixture(CpuKernelExecution cpuExecution) => _device = new(() => TestDevice.Open(cpuExecution));

    /// <summary>The shared device.</summary>
    public Device Device => _device.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_device.IsValueCreated) _device.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}
