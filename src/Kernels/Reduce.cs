using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Deterministic reductions (sum, sum of squares for global-norm clipping) in two launches and no
/// atomics: thread p of the first launch sums elements p, p + parts, p + 2 parts, ... (coalesced
/// reads) into <c>partials[p]</c>; one thread of the second launch adds the partials in index
/// order. For a fixed number of parts the order of every addition is fixed, so the result is
/// bit-identical from run to run.
/// </summary>
public static class Reduce
{
    /// <summary><c>partials[p] = sum of x[j] for j = p, p + parts, ...</c>; launch with extent parts.</summary>
    public static void PartialSums(Index1D p, ArrayView<float> x, int parts, ArrayView<float> partials)
    {
        float sum = 0f;
        for (long j = p.X; j < x.Length; j += parts)
            sum += x[j];
        partials[p] = sum;
    }

    /// <summary><c>partials[p] = sum of x[j]^2 for j = p, p + parts, ...</c>; launch with extent parts.</summary>
    public static void PartialSumsOfSquares(Index1D p, ArrayView<float> x, int parts, ArrayView<float> partials)
    {
        float sum = 0f;
        for (long j = p.X; j < x.Length; j += parts)
            sum += x[j] * x[j];
        partials[p] = sum;
    }

    /// <summary><c>result[0] = partials[0] + partials[1] + ...</c> in index order; launch with extent 1.</summary>
    public static void FinalSum(Index1D i, ArrayView<float> partials, int parts, ArrayView<float> result)
    {
        float sum = 0f;
        for (int p = 0; p < parts; p++)
            sum += partials[p];
        result[i] = sum;
    }
}
