using System.Globalization;
using GpuTrain.Runtime.Host;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Devices;

/// <summary>
/// <see cref="HostHugePages"/> on the CPU arenas: the 2 MB-aligned interior of a large arena is
/// advised (Linux marks its mapping THP-eligible, read back from /proc/self/smaps), a buffer that is
/// not advised is not, and the arena still starts zeroed and holds what is uploaded.
/// </summary>
public sealed class HostHugePagesTests
{
    private const nint HugePage = 2 << 20;

    [Fact]
    public void LargeCpuArenasAreAdvisedHugePagesAndKeepTheirValues()
    {
        using var device = Device.Open("cpu");
        var layout = new ArenaLayout();
        var slice = layout.Add("w", new Shape(4 << 20));
        using var arena = new ParameterArena(device, layout);
        using var plain = device.Accelerator.Allocate1D<float>(4 << 20);
        Assert.All(arena.DownloadAll(), x => Assert.Equal(0f, x));
        var values = Enumerable.Range(0, 4 << 20).Select(i => i * 0.25f - 7f).ToArray();
        arena.Upload(slice, values);
        Assert.Equal(values, arena.DownloadAll());

        string mode = OperatingSystem.IsLinux() && File.Exists(ModeFile) ? File.ReadAllText(ModeFile) : "[never]";
        if (mode.Contains("[never]", StringComparison.Ordinal)) return; // the kernel ignores the advice here
        Assert.Equal(1, ThpEligible(Interior(HostHugePages.AddressOf(arena.View))));
        // In "madvise" mode only advised mappings are eligible: this one was allocated the same way but not advised.
        if (mode.Contains("[madvise]", StringComparison.Ordinal))
            Assert.Equal(0, ThpEligible(Interior(HostHugePages.AddressOf(plain.View))));
    }

    private const string ModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";

    private static nint Interior(nint start) => (start + HugePage - 1) & ~(HugePage - 1);

    /// <summary>The THPeligible field of the mapping of /proc/self/smaps that contains <paramref name="address"/>.</summary>
    private static int ThpEligible(nint address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal), space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long lo)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hi))
            {
                inside = lo <= address && address < hi;
                continue;
            }
            if (inside && line.StartsWith("THPeligible:", StringComparison.Ordinal))
                return int.Parse(line["THPeligible:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no mapping with a THPeligible line holds 0x{address:x}");
    }
}
