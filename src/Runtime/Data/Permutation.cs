using GpuTrain.Kernels;

namespace GpuTrain.Runtime.Data;

/// <summary>
/// Seeded Fisher-Yates shuffles drawn from <see cref="Philox"/>: the swap partner of position i is
/// a function of (seed, stream, i) only, so the same (seed, stream) gives the same order on every
/// machine and a resumed run can recompute any epoch's order without stored state.
/// </summary>
internal static class Permutation
{
    /// <summary>Shuffles <paramref name="items"/> in place.</summary>
    public static void Shuffle(Span<int> items, ulong seed, ulong stream)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = UniformBelow((ulong)i + 1, Philox.Bits64(seed, stream, (ulong)i));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Writes the identity into <paramref name="order"/>, then shuffles it.</summary>
    public static void Fill(Span<int> order, ulong seed, ulong stream)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Shuffle(order, seed, stream);
    }

    // Lemire's multiply-shift maps 32 random bits onto [0, bound); its bias (bound / 2^32) is far
    // below anything a shuffle of a data set could show.
    private static int UniformBelow(ulong bound, ulong bits) => (int)(((bits >> 32) * bound) >> 32);
}
