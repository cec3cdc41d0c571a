namespace GpuTrain.Runtime.Devices;

/// <summary>How kernels run on ILGPU's CPU accelerator.</summary>
public enum CpuKernelExecution
{
    /// <summary>
    /// The kernel methods are called directly on pool threads over contiguous index ranges, on the
    /// accelerator's own (host) memory. The same C# kernel code, thousands of times faster: what
    /// training on the CPU uses.
    /// </summary>
    HostThreads,

    /// <summary>
    /// ILGPU's CPU accelerator runs every kernel thread as it would on a GPU (groups of OS threads,
    /// barriers, shared memory): a correctness emulator, microseconds per kernel thread. The kernel
    /// tests use it so that ILGPU's compilation and launch path is what they check.
    /// </summary>
    Emulator,
}
