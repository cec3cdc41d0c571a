using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the sampled-NCE step of <see cref="NceKernels"/> over the work buffers of
/// <see cref="NceViews"/>: the candidate sampler, the row gather, the loss terms and the row-sparse
/// SGD update; on host threads the last three take <see cref="HostNce"/> (the same float operations
/// in the same order). The one place where these choose host or device.
/// </summary>
internal static class NceOps
{
    private static readonly Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<int>, int, int, ulong, ulong> SampleKernel =
        CandidateSampling.SampleLogUniform;
    private static readonly Action<Index1D, NceViews> GatherKernel = NceKernels.Gather;
    private static readonly Action<Index1D, NceViews, int, int, int, int> LossKernel = NceKernels.Loss;
    private static readonly Action<Index1D, NceViews, float> SgdKernel = NceKernels.ApplySgd;

    /// <summary>
    /// Draws <see cref="NceViews.NumSampled"/> log-uniform candidates from [0, <paramref name="range"/>)
    /// (distinct when <paramref name="unique"/>) keyed by (<paramref name="seed"/>, <paramref name="stream"/>),
    /// with their log expected counts and the number of draws.
    /// </summary>
    public static void Sample(Device device, NceViews v, int range, bool unique, ulong seed, ulong stream)
    {
        ViewChecks.Positive(range, nameof(range));
        device.Kernel(SampleKernel, acc => acc.LoadAutoGroupedStreamKernel(SampleKernel))(
            1, v.Sampled, v.SampledLogCount, v.Tries, range, unique ? 1 : 0, seed, stream);
    }

    /// <summary>Copies the inputs' embedding rows and the labels' and candidates' weight rows and biases into the work buffers, and links duplicate rows.</summary>
    public static void Gather(Device device, NceViews v)
    {
        if (device.RunsKernelsOnHost) HostNce.Gather(v);
        else device.Kernel(GatherKernel, acc => acc.LoadAutoGroupedStreamKernel(GatherKernel))(SlotExtent(v), v);
    }

    /// <summary>Each example's loss and the logit gradients of the batch-mean loss (the candidate logits already in <see cref="NceViews.Logits"/>).</summary>
    public static void Loss(Device device, NceViews v, int range, bool unique, bool subtractLogExpectedCount, bool removeAccidentalHits)
    {
        int u = unique ? 1 : 0, subtract = subtractLogExpectedCount ? 1 : 0, remove = removeAccidentalHits ? 1 : 0;
        if (device.RunsKernelsOnHost) HostNce.Loss(v, range, u, subtract, remove);
        else device.Kernel(LossKernel, acc => acc.LoadAutoGroupedStreamKernel(LossKernel))(v.Batch, v, range, u, subtract, remove);
    }

    /// <summary>row -= <paramref name="learningRate"/> · gradient for every row the step touched (embedding rows, weight rows, biases).</summary>
    public static void ApplySgd(Device device, NceViews v, float learningRate)
    {
        if (device.RunsKernelsOnHost) HostNce.ApplySgd(v, learningRate);
        else device.Kernel(SgdKernel, acc => acc.LoadAutoGroupedStreamKernel(SgdKernel))(SlotExtent(v), v, learningRate);
    }

    // One thread per row slot: B inputs, B labels, S candidates.
    private static int SlotExtent(NceViews v) => 2 * v.Batch + v.NumSampled;
}
