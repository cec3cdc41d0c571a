using GpuTrain.Runtime.Devices;
using GpuTrain.TestSupport;

namespace GpuTrain.Kernels.Tests;

/// <summary>
/// The test device (GPUTRAIN_TEST_DEVICE, cpu by default) shared by the kernel tests. On the CPU
/// accelerator kernels run in ILGPU's emulator, so ILGPU's compilation and launch path is what they check.
/// </summary>
public sealed class KernelTestDevice : TestDeviceFixture
{
    /// <summary>Opens the device on first use.</summary>
    public KernelTestDevice() : base(CpuKernelExecution.Emulator) { }
}

/// <summary>The tests that share <see cref="KernelTestDevice"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DeviceCollection : ICollectionFixture<KernelTestDevice>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "device";
}
