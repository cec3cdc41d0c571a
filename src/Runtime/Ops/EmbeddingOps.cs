using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="EmbeddingKernels"/> on the device's default stream: the row gather and
/// the deterministic row-accumulating gradient (see <see cref="EmbeddingOccurrences"/>); on host
/// threads both take <see cref="HostEmbedding"/> (the same float operations in the same order).
/// </summary>
internal static class EmbeddingOps
{
    private static readonly Action<Index1D, ArrayView<int>, ArrayView<float>, int, ArrayView<float>> GatherKernel = EmbeddingKernels.Gather;
    private static readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>> AccumulateKernel =
        EmbeddingKernels.AccumulateRows;

    /// <summary><c>output[p, :] = table[ids[p], :]</c>; ids are not range-checked on the device.</summary>
    public static void Gather(Device device, ArrayView<int> ids, ArrayView<float> table, int width, ArrayView<float> output)
    {
        ViewChecks.Positive(width, nameof(width));
        ViewChecks.Rows(table, width, nameof(table));
        ViewChecks.Length(output, ids.Length * width, nameof(output));
        if (output.Length == 0) return;
        if (device.RunsKernelsOnHost)
        {
            HostEmbedding.Gather(ids, table, width, output);
            return;
        }
        device.Kernel(GatherKernel, acc => acc.LoadAutoGroupedStreamKernel(GatherKernel))(
            ViewChecks.Extent(output, nameof(output)), ids, table, width, output);
    }

    /// <summary>
    /// <c>dtable[id, :] += sum of doutput[p, :] over the positions p holding id</c>, for the distinct
    /// ids of <paramref name="occurrences"/> (uploaded with <see cref="EmbeddingOccurrences.Upload"/>).
    /// </summary>
    public static void Backward(Device device, EmbeddingOccurrences occurrences, ArrayView<float> doutput, int width, ArrayView<float> dtable)
    {
        ViewChecks.Positive(width, nameof(width));
        ViewChecks.Length(doutput, (long)occurrences.Positions * width, nameof(doutput));
        ViewChecks.Rows(dtable, width, nameof(dtable));
        if (occurrences.DistinctRows == 0) return;
        if (device.RunsKernelsOnHost)
        {
            HostEmbedding.AccumulateRows(occurrences.DistinctRows, occurrences.Rows, occurrences.Starts, occurrences.PositionList, doutput, width, dtable);
            return;
        }
        device.Kernel(AccumulateKernel, acc => acc.LoadAutoGroupedStreamKernel(AccumulateKernel))(
            occurrences.DistinctRows * width, occurrences.Rows, occurrences.Starts, occurrences.PositionList, doutput, width, dtable);
    }
}
