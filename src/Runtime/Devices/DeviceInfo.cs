namespace GpuTrain.Runtime.Devices;

/// <summary>What ILGPU reports about one device, as `gputrain devices` lists it.</summary>
/// <param name="Id">The id a user passes to <c>--device</c> (e.g. <c>cuda:0</c>, <c>cpu</c>).</param>
/// <param name="Kind">The accelerator family.</param>
/// <param name="Name">The device's own name.</param>
/// <param name="MemoryBytes">Device memory in bytes.</param>
/// <param name="WarpSize">Threads per warp.</param>
/// <param name="MaxThreadsPerGroup">The largest group a kernel may launch with.</param>
/// <param name="IsGpu">True when the device is real graphics hardware.</param>
public sealed record DeviceInfo(
    string Id, DeviceKind Kind, string Name, long MemoryBytes, int WarpSize, int MaxThreadsPerGroup, bool IsGpu)
{
    /// <summary>One line for listings and the "device:" line a training run prints.</summary>
    public string Describe() =>
        $"{Id} ({Kind} {Name}): memory {MemoryText}, warp {WarpSize}, max threads/group {MaxThreadsPerGroup}";

    // The CPU accelerator reports a nominal size, not memory it owns: its buffers are host memory.
    private string MemoryText => Kind == DeviceKind.Cpu
        ? $"host ({GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB)"
        : $"{MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB";
}
