using GpuTrain.Runtime.Devices;

namespace GpuTrain.TestSupport;

/// <summary>
/// The device the Device-category tests run on, named by GPUTRAIN_TEST_DEVICE: cpu (the default, so
/// the normal suite runs them on the CPU accelerator), opencl, cuda, or an id such as opencl:0. Where
/// it names a device this machine lacks, <see cref="DeviceFactAttribute"/> and
/// <see cref="DeviceTheoryAttribute"/> skip their tests with <see cref="UnavailableReason"/>.
/// </summary>
public static class TestDevice
{
    /// <summary>The environment variable that picks the device.</summary>
    public const string Variable = "GPUTRAIN_TEST_DEVICE";

    /// <summary>The trait category of the tests that run on the chosen device (<c>--filter Category=Device</c>).</summary>
    public const string Category = "Device";

    private static readonly Lazy<(DeviceKind? Kind, string? Unavailable)> Resolved = new(Resolve);

    /// <summary>The device specification: GPUTRAIN_TEST_DEVICE, else "cpu".</summary>
    public static string Spec { get; } =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } spec ? spec.Trim() : "cpu";

    /// <summary>Why the chosen device cannot be used here, or null when it can.</summary>
    public static string? UnavailableReason => Resolved.Value.Unavailable;

    /// <summary>True when the tests run on ILGPU's CPU accelerator (results there equal the host's bit for bit).</summary>
    public static bool IsCpu => Resolved.Value.Kind == DeviceKind.Cpu;

    /// <summary>
    /// How many units in the last place random draws may differ from host Philox: none on the CPU
    /// accelerator; a few on a GPU or OpenCL compiler, whose log, sqrt and cos round differently (POCL's
    /// normal draws differ from the host's by about one ulp).
    /// </summary>
    public static int RandomUlps => IsCpu ? 0 : 4;

    /// <summary>
    /// Opens the chosen device; on the CPU accelerator kernels run as <paramref name="cpuExecution"/>
    /// says (the kernel tests use the emulator, so ILGPU's launch path is what they check).
    /// </summary>
    public static Device Open(CpuKernelExecution cpuExecution = CpuKernelExecution.HostThreads)
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        return Device.Open(Spec, cpuExecution);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> is within <see cref="RandomUlps"/> of <paramref name="expected"/>,
    /// element by element, counting ulps at max(|expected|, 1): a standard draw is of order 1 before a
    /// fill scales and shifts it, so its ulp, not the result's, is what a device rounds differently.
    /// </summary>
    public static void AssertRandomDrawsEqual(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            float e = expected[i], a = actual[i];
            if (e == a) continue;
            float magnitude = MathF.Max(MathF.Abs(e), 1f), ulp = MathF.BitIncrement(magnitude) - magnitude;
            Assert.True(MathF.Abs(e - a) <= RandomUlps * ulp,
                $"draw {i}: host {e:R}, {Spec} {a:R} (allowed: {RandomUlps} ulp on {Spec})");
        }
    }

    private static (DeviceKind?, string?) Resolve()
    {
        try
        {
            using var context = DeviceCatalog.CreateContext();
            var (info, _) = DeviceCatalog.Resolve(context, Spec);
            return (info.Kind, null);
        }
        catch (DeviceNotFoundException)
        {
            return (null, $"{Variable}={Spec}: no such device on this machine (see 'gputrain devices')");
        }
    }
}
