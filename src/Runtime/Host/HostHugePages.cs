using System.Runtime.InteropServices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Asks Linux to back a large CPU-accelerator buffer with 2 MB pages (madvise MADV_HUGEPAGE, the
/// setting transparent huge pages honour in their default "madvise" mode), before the buffer is first
/// written so that its first touch faults them in. A dense layer's kernel is read by column strips, a
/// 4 KB row apart: with 4 KB pages every row of a strip is a TLB miss (3136 per strip of dense1's
/// 12.8 MB kernel); with 2 MB pages the whole kernel is 7 TLB entries. Only the 2 MB-aligned interior
/// of the buffer is advised; elsewhere, or where the kernel refuses, the buffer keeps 4 KB pages
/// (advice, never a requirement: nothing changes but speed).
/// </summary>
internal static unsafe partial class HostHugePages
{
    private const int MadviseHugePage = 14;
    private const nint HugePage = 2 << 20;

    /// <summary>Advises huge pages for the aligned interior of <paramref name="view"/>, a CPU-accelerator view.</summary>
    public static void Advise(ArrayView<float> view)
    {
        if (!OperatingSystem.IsLinux() || view.LengthInBytes < 2 * HugePage) return;
        nint start = AddressOf(view), end = start + (nint)view.LengthInBytes;
        nint first = (start + HugePage - 1) & ~(HugePage - 1), last = end & ~(HugePage - 1);
        if (last > first) _ = Madvise(first, (nuint)(last - first), MadviseHugePage);
    }

    /// <summary>The host address of a CPU-accelerator view (where Linux maps it).</summary>
    public static nint AddressOf(ArrayView<float> view) => (nint)HostMemory.Pointer(view, "huge-page advice");

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
