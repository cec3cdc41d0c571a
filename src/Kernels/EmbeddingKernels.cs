using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Embedding lookup (<c>tf.nn.embedding_lookup</c>) and its gradient. The backward pass is a
/// gather too, not a scatter: the host lists, per batch, every distinct id once and the positions
/// where it occurs (in increasing order), and one thread per (distinct id, column) sums that column
/// over the occurrences in this fixed order. No two threads write the same element, so no float
/// atomics are needed, every run gives the same bits, and only the rows used are touched.
/// </summary>
public static class EmbeddingKernels
{
    /// <summary><c>output[p, k] = table[ids[p], k]</c> for a [positions, width] output; one thread per element.</summary>
    public static void Gather(Index1D i, ArrayView<int> ids, ArrayView<float> table, int width, ArrayView<float> output)
    {
        int p = i / width, k = i % width;
        output[i] = table[(long)ids[p] * width + k];
    }

    /// <summary>
    /// <c>dtable[rows[u], k] += sum over q in [starts[u], starts[u + 1]) of doutput[positions[q], k]</c>;
    /// one thread per element of the [distinct ids, width] block. <paramref name="starts"/> has one
    /// more entry than <paramref name="rows"/>.
    /// </summary>
    public static void AccumulateRows(Index1D i, ArrayView<int> rows, ArrayView<int> starts, ArrayView<int> positions,
        ArrayView<float> doutput, int width, ArrayView<float> dtable)
    {
        int u = i / width, k = i % width;
        float sum = 0f;
        for (int q = starts[u]; q < starts[u + 1]; q++)
            sum += doutput[(long)positions[q] * width + k];
        dtable[(long)rows[u] * width + k] += sum;
    }
}
