using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using GpuTrain.Kernels;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The gather, loss and sparse-SGD kernels of <see cref="NceKernels"/> on the calling thread. A
/// word2vec step was about 0.3 ms, and each of these phases is a few microseconds of real work
/// (a few hundred rows of D floats, ~8k sigmoids): spread over the pool they paid a wakeup and a
/// join each, and under a second load on the machine a descheduled worker held the whole step;
/// the loss called scalar exp and log three times a candidate (111 us of the step; now one SIMD
/// exp a candidate and one log an example).
/// <para>
/// Gather and SGD are the kernels' float operations in the same order, hence the same bits: the
/// per-element sums over a word's chain of slots are done a row at a time with SIMD adds and
/// multiplies, which round exactly as the scalar ones; the duplicate links come from one pass with a
/// hash of words instead of each slot scanning all others. The loss vectorizes exp over the candidates
/// (<see cref="HostExp"/>), sums their softplus logs as the log of a product and the true logit's dot product lane-wise, so it
/// rounds differently from the kernel's scalar loop and is held to a float64 reference
/// (HostNceTests, SkipGramNceTests).
/// </para>
/// </summary>
internal static unsafe class HostNce
{
    public static void Gather(NceViews v)
    {
        var p = new Pointers(v);
        int dim = p.Dim, batch = p.Batch, sampled = p.NumSampled;
        for (int b = 0; b < batch; b++) Copy(p.Embeddings + (long)p.Inputs[b] * dim, p.InputRows + (long)b * dim, dim);
        for (int b = 0; b < batch; b++)
        {
            Copy(p.Weights + (long)p.Labels[b] * dim, p.LabelRows + (long)b * dim, dim);
            p.LabelBiases[b] = p.Biases[p.Labels[b]];
        }
        for (int k = 0; k < sampled; k++)
        {
            Copy(p.Weights + (long)p.Sampled[k] * dim, p.SampledRows + (long)k * dim, dim);
            p.SampledBiases[k] = p.Biases[p.Sampled[k]];
        }
        Link(p.Inputs, batch, p.Inputs, 0, p.InputLinks);
        Link(p.Labels, batch, p.Sampled, sampled, p.OutputLinks);
    }

    public static void Loss(NceViews v, int range, int unique, int subtractLogCount, int removeAccidentalHits)
    {
        var p = new Pointers(v);
        int dim = p.Dim, sampled = p.NumSampled, tries = p.Tries[0];
        float invBatch = 1f / p.Batch;
        for (int b = 0; b < p.Batch; b++)
        {
            int label = p.Labels[b];
            float t = p.LabelBiases[b] + TensorPrimitives.Dot(
                new ReadOnlySpan<float>(p.InputRows + (long)b * dim, dim), new ReadOnlySpan<float>(p.LabelRows + (long)b * dim, dim));
            if (subtractLogCount != 0)
                t -= MathF.Log(CandidateSampling.ExpectedCount(CandidateSampling.LogUniformProbability(label, range), sampled, tries, unique));
            p.LabelLogitGrads[b] = (NceKernels.Sigmoid(t) - 1f) * invBatch;
            p.Losses[b] = (float)(NceKernels.Softplus(-t) + CandidateLosses(p, b, removeAccidentalHits != 0 ? label : -1, subtractLogCount != 0, invBatch));
        }
    }

    public static void ApplySgd(NceViews v, float learningRate)
    {
        var p = new Pointers(v);
        int dim = p.Dim, batch = p.Batch, sampled = p.NumSampled;
        var rowArray = ArrayPool<float>.Shared.Rent(dim);
        var columnArray = ArrayPool<float>.Shared.Rent(sampled);
        try
        {
            var g = rowArray.AsSpan(0, dim);
            for (int slot = 0; slot < batch; slot++)
            {
                if (p.InputLinks[2 * slot] == 0) continue;
                g.Clear();
                for (int s = slot; s >= 0; s = p.InputLinks[2 * s + 1])
                    AddScaledSum(g, new ReadOnlySpan<float>(p.InputGrads + (long)s * dim, dim), p.LabelLogitGrads[s],
                        new ReadOnlySpan<float>(p.LabelRows + (long)s * dim, dim));
                Descend(new Span<float>(p.Embeddings + (long)p.Inputs[slot] * dim, dim), learningRate, g);
            }
            // Each candidate's bias gradient is its column of the logit gradients summed from 0f down
            // the batch: the kernel's sum, in its order, for a word whose chain is that one candidate.
            var columns = columnArray.AsSpan(0, sampled);
            columns.Clear();
            for (int e = 0; e < batch; e++) TensorPrimitives.Add(columns, new ReadOnlySpan<float>(p.Logits + (long)e * sampled, sampled), columns);
            for (int c = 0; c < batch + sampled; c++)
            {
                if (p.OutputLinks[2 * c] == 0) continue;
                g.Clear();
                float bias = 0f;
                bool lone = c >= batch && p.OutputLinks[2 * c + 1] < 0;
                for (int s = c; s >= 0; s = p.OutputLinks[2 * s + 1])
                {
                    if (s < batch)
                    {
                        AddScaled(g, p.LabelLogitGrads[s], new ReadOnlySpan<float>(p.InputRows + (long)s * dim, dim));
                        bias += p.LabelLogitGrads[s];
                    }
                    else
                    {
                        TensorPrimitives.Add(g, new ReadOnlySpan<float>(p.SampledGrads + (long)(s - batch) * dim, dim), g);
                        if (lone) bias = columns[s - batch];
                        else
                            for (int e = 0; e < batch; e++) bias += p.Logits[(long)e * sampled + s - batch];
                    }
                }
                int word = c < batch ? p.Labels[c] : p.Sampled[c - batch];
                Descend(new Span<float>(p.Weights + (long)word * dim, dim), learningRate, g);
                p.Biases[word] -= learningRate * bias;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowArray);
            ArrayPool<float>.Shared.Return(columnArray);
        }
    }

    // Example b's candidates: its row of Logits, x = (logit + bias) - log Q as the kernel adds them,
    // becomes sigmoid(x) / batch (the logit gradients), and the summed loss softplus(x) is returned.
    // One exp serves both: with e = exp(-|x|), sigmoid = (x >= 0 ? 1 : e) / (1 + e), which unlike
    // 1 / (1 + exp(-x)) never overflows, and softplus = max(x, 0) + log(1 + e), whose logs are summed
    // as the log of one float64 product (exact enough where e is tiny, and one log a row instead of
    // one a candidate). A candidate equal to `hit` (TF's accidental hit: logit -FLT_MAX) adds no
    // loss and gets a zero gradient.
    private static double CandidateLosses(in Pointers p, int b, int hit, bool subtractLogCount, float scale)
    {
        int sampled = p.NumSampled, k = 0;
        float* x = p.Logits + (long)b * sampled;
        float linear = 0f;
        double product = 1, loss = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            var zero = Vector256<float>.Zero;
            var linearSum = zero;
            Vector256<double> productLow = Vector256<double>.One, productHigh = Vector256<double>.One;
            var hitId = Vector256.Create(hit);
            for (; k + Vector256<float>.Count <= sampled; k += Vector256<float>.Count)
            {
                var l = Vector256.Load(x + k) + Vector256.Load(p.SampledBiases + k);
                if (subtractLogCount) l -= Vector256.Load(p.SampledLogCount + k);
                var kept = ~Vector256.Equals(Vector256.Load(p.Sampled + k), hitId).AsSingle();
                var e = HostExp.NonPositive(-Vector256.Abs(l)) & kept;
                (Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(l, zero), one, e) / (one + e) * Vector256.Create(scale) & kept).Store(x + k);
                linearSum += Vector256.Max(l, zero) & kept;
                var (low, high) = Vector256.Widen(e);
                productLow *= Vector256<double>.One + low;
                productHigh *= Vector256<double>.One + high;
                // Each factor is at most 2, so 256 candidates multiply to at most 2^256: fold them into
                // the sum there, long before a product could overflow.
                if ((k & 255) == 256 - Vector256<float>.Count)
                {
                    loss += Math.Log(Product(productLow * productHigh));
                    productLow = productHigh = Vector256<double>.One;
                }
            }
            linear = Vector256.Sum(linearSum);
            product = Product(productLow * productHigh);
        }
        for (; k < sampled; k++)
        {
            float l = x[k] + p.SampledBiases[k];
            if (subtractLogCount) l -= p.SampledLogCount[k];
            if (p.Sampled[k] == hit)
            {
                x[k] = 0f;
                continue;
            }
            float e = MathF.Exp(-MathF.Abs(l));
            x[k] = (l >= 0f ? 1f : e) / (1f + e) * scale;
            linear += MathF.Max(l, 0f);
            product *= 1 + (double)e;
            if (product > 1e300)
            {
                loss += Math.Log(product);
                product = 1;
            }
        }
        return loss + linear + Math.Log(product);
    }

    private static double Product(Vector256<double> factors) => factors[0] * factors[1] * factors[2] * factors[3];

    // sum[d] += a[d] + scale · b[d], element for element as the kernel's g += a + scale * b.
    private static void AddScaledSum(Span<float> sum, ReadOnlySpan<float> a, float scale, ReadOnlySpan<float> b)
    {
        int d = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            fixed (float* ps = sum, pa = a, pb = b)
                for (; d + Vector256<float>.Count <= sum.Length; d += Vector256<float>.Count)
                    (Vector256.Load(ps + d) + (Vector256.Load(pa + d) + s * Vector256.Load(pb + d))).Store(ps + d);
        }
        for (; d < sum.Length; d++) sum[d] += a[d] + scale * b[d];
    }

    // sum[d] += scale · a[d], and row[d] -= rate · g[d] as row[d] + (-rate) · g[d] (the same float: negation
    // is exact): TensorPrimitives.MultiplyAdd rounds the product and the sum separately, as the kernels do.
    private static void AddScaled(Span<float> sum, float scale, ReadOnlySpan<float> a) => TensorPrimitives.MultiplyAdd(a, scale, sum, sum);

    private static void Descend(Span<float> row, float rate, ReadOnlySpan<float> g) => TensorPrimitives.MultiplyAdd(g, -rate, row, row);

    // The kernel's Link for every slot of first[0..firstCount) ++ second[0..secondCount) at once:
    // links[2s] = 1 when slot s is its word's first, links[2s + 1] = the next slot of the same word
    // (-1: none). One pass in slot order with a hash of each word's last slot so far, where the
    // kernel's slots each scan all the others.
    private static void Link(int* first, int firstCount, int* second, int secondCount, int* links)
    {
        int total = firstCount + secondCount;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * total));
        var wordArray = ArrayPool<int>.Shared.Rent(capacity);
        var lastArray = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            var words = wordArray.AsSpan(0, capacity);
            var last = lastArray.AsSpan(0, capacity);
            words.Fill(-1); // word ids are never negative
            for (int s = 0; s < total; s++)
            {
                int word = s < firstCount ? first[s] : second[s - firstCount];
                int at = (int)((uint)word * 0x9E3779B1u) & (capacity - 1);
                while (words[at] != word && words[at] != -1) at = (at + 1) & (capacity - 1);
                links[2 * s + 1] = -1;
                if (words[at] == word)
                {
                    links[2 * s] = 0;
                    links[2 * last[at] + 1] = s;
                }
                else
                {
                    links[2 * s] = 1;
                    words[at] = word;
                }
                last[at] = s;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(wordArray);
            ArrayPool<int>.Shared.Return(lastArray);
        }
    }

    private static void Copy(float* from, float* to, int count) =>
        new ReadOnlySpan<float>(from, count).CopyTo(new Span<float>(to, count));

    /// <summary>The host addresses of <see cref="NceViews"/>' buffers.</summary>
    private readonly struct Pointers(NceViews v)
    {
        public readonly float* Embeddings = HostMemory.Pointer(v.Embeddings), Weights = HostMemory.Pointer(v.Weights),
            Biases = HostMemory.Pointer(v.Biases), SampledLogCount = HostMemory.Pointer(v.SampledLogCount),
            InputRows = HostMemory.Pointer(v.InputRows), LabelRows = HostMemory.Pointer(v.LabelRows),
            SampledRows = HostMemory.Pointer(v.SampledRows), LabelBiases = HostMemory.Pointer(v.LabelBiases),
            SampledBiases = HostMemory.Pointer(v.SampledBiases), Logits = HostMemory.Pointer(v.Logits),
            LabelLogitGrads = HostMemory.Pointer(v.LabelLogitGrads), Losses = HostMemory.Pointer(v.Losses),
            InputGrads = HostMemory.Pointer(v.InputGrads), SampledGrads = HostMemory.Pointer(v.SampledGrads);

        public readonly int* Inputs = HostMemory.Pointer(v.Inputs), Labels = HostMemory.Pointer(v.Labels),
            Sampled = HostMemory.Pointer(v.Sampled), Tries = HostMemory.Pointer(v.Tries),
            InputLinks = HostMemory.Pointer(v.InputLinks), OutputLinks = HostMemory.Pointer(v.OutputLinks);

        public readonly int Batch = v.Batch, NumSampled = v.NumSampled, Dim = v.Dim;
    }
}
