using GpuTrain.Kernels;
using ILGPU;

namespace GpuTrain.Runtime.Losses;

/// <summary>
/// The sizes of an NCE step's work buffers, in one place: the loss plans them for its own batch and
/// the data-parallel exchange (GatheredRowGradients) for the global batch of every rank, so the two
/// cannot disagree on a buffer's length.
/// </summary>
internal static class NceBatchBuffers
{
    /// <summary>
    /// <paramref name="views"/> with fresh example, candidate, row, logit, gradient and link buffers for
    /// <paramref name="batch"/> examples, <paramref name="sampled"/> candidates and rows of
    /// <paramref name="dim"/> floats, taken from <paramref name="floats"/> and <paramref name="ints"/>;
    /// the tables and the step's candidate counts, tries and losses are kept as given.
    /// </summary>
    public static NceViews For(NceViews views, int batch, int sampled, int dim,
        Func<int, ArrayView<float>> floats, Func<int, ArrayView<int>> ints) => views with
    {
        Inputs = ints(batch),
        Labels = ints(batch),
        Sampled = ints(sampled),
        InputRows = floats(batch * dim),
        LabelRows = floats(batch * dim),
        SampledRows = floats(sampled * dim),
        LabelBiases = floats(batch),
        SampledBiases = floats(sampled),
        Logits = floats(batch * sampled),
        LabelLogitGrads = floats(batch),
        InputGrads = floats(batch * dim),
        SampledGrads = floats(sampled * dim),
        InputLinks = ints(2 * batch),
        OutputLinks = ints(2 * (batch + sampled)),
        Batch = batch,
        NumSampled = sampled,
        Dim = dim,
    };
}
