using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The host address of a view on ILGPU's CPU accelerator, whose buffers are plain host memory, for
/// the host SIMD paths that replace a kernel where the per-index call is too slow. Checked, never
/// assumed: a view of any other accelerator is refused.
/// </summary>
internal static unsafe class HostMemory
{
    public static T* Pointer<T>(ArrayView<T> view, string user = "a host path") where T : unmanaged
    {
        if (view.Length == 0) return null;
        if (view.GetAcceleratorType() != AcceleratorType.CPU)
            throw new ArgumentException($"{user} needs a CPU accelerator view, got a {view.GetAcceleratorType()} view", nameof(view));
        return (T*)view.LoadEffectiveAddressAsPtr();
    }
}
