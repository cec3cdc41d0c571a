using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// TensorFlow's log-uniform (Zipfian) candidate sampler, the default of tf.nn.nce_loss
/// (range_sampler.cc LogUniformSampler and RangeSampler::SampleBatchGetExpectedCountAvoid).
/// <para>
/// Design note. Class k of [0, range) has probability P(k) = (log(k + 2) - log(k + 1)) / log(range + 1),
/// which suits ids sorted by falling frequency (the word2vec vocabulary). A draw is
/// floor(exp(u log(range + 1))) - 1 for a uniform u. With unique sampling TF draws until it has
/// <c>numSampled</c> distinct classes and reports, for any class, the expected count
/// 1 - (1 - P)^tries (tries = draws made), or P * numSampled when no draw was rejected; without it,
/// P * numSampled. The draws of a step are one sequential loop (each depends on the classes already
/// taken), so the sampler is a one-thread kernel: numSampled is small and the loop is microseconds.
/// Its uniforms are <see cref="Philox"/>(seed, stream, draw number): a step's candidates are a pure
/// function of (seed, step), the same on every device and after a resume. Functions here use floats
/// only (no doubles), so they compile for OpenCL devices without fp64; log1p and expm1 are computed
/// with Goldberg's corrections, accurate where P is a few millionths.
/// </para>
/// </summary>
public static class CandidateSampling
{
    /// <summary>P(k) of the log-uniform distribution over [0, <paramref name="range"/>).</summary>
    public static float LogUniformProbability(int k, int range) =>
        Log1P(1f / (k + 1f)) / XMath.Log(range + 1f);

    /// <summary>The class a uniform <paramref name="u"/> in [0, 1) draws (TF: <c>(int64)exp(u * log1p(range)) - 1</c>, mod range).</summary>
    public static int LogUniformDraw(float u, int range) =>
        ((int)XMath.Exp(u * XMath.Log(range + 1f)) - 1) % range;

    /// <summary>
    /// TF's ExpectedCountHelper: the expected number of times a class of probability <paramref name="p"/>
    /// occurs among the candidates of one step.
    /// </summary>
    /// <param name="p">The class's probability.</param>
    /// <param name="numSampled">Candidates per step.</param>
    /// <param name="tries">Draws made to get them (unique sampling rejects repeats).</param>
    /// <param name="unique">1 for unique sampling, 0 for draws with replacement.</param>
    public static float ExpectedCount(float p, int numSampled, int tries, int unique) =>
        unique == 0 || tries == numSampled ? p * numSampled : -Expm1(tries * Log1P(-p));

    /// <summary>
    /// Draws the candidates of one step (launch with extent 1): <paramref name="sampled"/> receives
    /// <c>sampled.Length</c> classes (distinct when <paramref name="unique"/> is 1),
    /// <paramref name="sampledLogCount"/> the log of each one's expected count, and
    /// <paramref name="tries"/>[0] the number of draws. With unique sampling the caller guarantees
    /// sampled.Length &lt;= range, or the loop would not end.
    /// </summary>
    public static void SampleLogUniform(Index1D thread, ArrayView<int> sampled, ArrayView<float> sampledLogCount,
        ArrayView<int> tries, int range, int unique, ulong seed, ulong stream)
    {
        int wanted = (int)sampled.Length, taken = 0, draws = 0;
        while (taken < wanted)
        {
            int candidate = LogUniformDraw(Philox.Uniform(seed, stream, (ulong)draws), range);
            draws++;
            bool repeat = false;
            if (unique != 0)
                for (int j = 0; j < taken; j++)
                    if (sampled[j] == candidate) repeat = true;
            if (repeat) continue;
            sampled[taken++] = candidate;
        }
        tries[0] = draws;
        for (int k = 0; k < wanted; k++)
            sampledLogCount[k] = XMath.Log(ExpectedCount(LogUniformProbability(sampled[k], range), wanted, draws, unique));
    }

    /// <summary>log(1 + x), accurate for tiny x.</summary>
    public static float Log1P(float x)
    {
        float u = 1f + x;
        return u == 1f ? x : XMath.Log(u) * x / (u - 1f);
    }

    /// <summary>exp(x) - 1, accurate for tiny x.</summary>
    public static float Expm1(float x)
    {
        float u = XMath.Exp(x);
        if (u == 1f) return x;
        float um1 = u - 1f;
        return um1 == -1f ? -1f : um1 * x / XMath.Log(u);
    }
}
