using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the inverted-dropout mask of <see cref="DropoutKernels"/>: element i is kept when
/// Philox(seed, stream, i) &lt; keepProb and then scaled by 1 / keepProb, so the forward pass and the
/// backward pass (the same call on the gradient) draw the same mask without storing it. On host
/// threads it takes <see cref="HostDropout"/>.
/// </summary>
internal static class DropoutOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ulong, ulong, ulong, float> ApplyKernel = DropoutKernels.Apply;

    /// <summary>
    /// Writes the masked, rescaled <paramref name="input"/> into <paramref name="output"/> (same length;
    /// may alias). Element i draws counter <paramref name="first"/> + i (a data-parallel rank's offset
    /// into the global batch; 0 in one process). On host threads <paramref name="kept"/>, when given
    /// (at least as long as the input), also receives each element's draw for <see cref="ApplyKept"/>;
    /// elsewhere it must be null.
    /// </summary>
    public static void Apply(Device device, ArrayView<float> input, ArrayView<float> output, ulong seed, ulong stream, float keepProb, ulong first = 0,
        byte[]? kept = null)
    {
        ViewChecks.SameLength(output, input, nameof(output), nameof(input));
        if (kept != null) CheckKept(device, input, kept);
        if (input.Length == 0) return;
        if (device.RunsKernelsOnHost) HostDropout.Apply(input, output, seed, stream, first, keepProb, kept);
        else
            device.Kernel(ApplyKernel, a => a.LoadAutoGroupedStreamKernel(ApplyKernel))(
                ViewChecks.Extent(input, nameof(input)), input, output, seed, stream, first, keepProb);
    }

    /// <summary>
    /// What <see cref="Apply"/> wrote for the draws it recorded in <paramref name="kept"/>, on host
    /// threads: the backward pass's mask without drawing it again (Philox is most of the cost).
    /// </summary>
    public static void ApplyKept(Device device, ArrayView<float> input, ArrayView<float> output, byte[] kept, float keepProb)
    {
        ViewChecks.SameLength(output, input, nameof(output), nameof(input));
        CheckKept(device, input, kept);
        if (input.Length != 0) HostDropout.ApplyKept(input, output, kept, keepProb);
    }

    private static void CheckKept(Device device, ArrayView<float> input, byte[] kept)
    {
        if (!device.RunsKernelsOnHost) throw new ArgumentException($"recorded dropout masks live on the host; device {device.Info.Id} runs kernels elsewhere", nameof(kept));
        if (kept.Length < input.Length) throw new ArgumentException($"the mask holds {kept.Length} draws; the input has {input.Length} elements", nameof(kept));
    }
}
