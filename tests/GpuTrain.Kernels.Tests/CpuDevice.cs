using GpuTrain.Runtime.Devices;

namespace GpuTrain.Kernels.Tests;

/// <summary>One CPU accelerator shared by the kernel tests (each kernel compiles once per device).</summary>
public sealed class CpuDevice : IDisposable
{
    /// <summary>The shared device.</summary>
    public Device Device { get; } = Device.Open("cpu", CpuKernelExecution.Emulator);

    /// <inheritdoc />
    public void Dispose() => Device.Dispose();
}

/// <summary>The tests that share <see cref="CpuDevice"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class CpuCollection : ICollectionFixture<CpuDevice>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cpu";
}
