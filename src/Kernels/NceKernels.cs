using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// One step of skip-gram with NCE (tf.nn.nce_loss followed by plain SGD) that touches only the rows it
/// needs: the embedding rows of the batch's centre words and the NCE weight rows and biases of its
/// labels and of the step's candidates. Nothing of size vocabulary x D is read or written.
/// <para>
/// Design note. A step is: the one-thread sampler (<see cref="CandidateSampling.SampleLogUniform"/>),
/// <see cref="Gather"/> (copy the rows into dense work buffers and link duplicate rows), a GEMM for the
/// B x S candidate logits, <see cref="Loss"/> (true logits, the log-expected-count correction, the
/// sigmoid cross-entropy and the logit gradients), two GEMMs for the row gradients, and
/// <see cref="ApplySgd"/>. Because every gradient is computed from the gathered copies before any
/// table row changes, the update equals TF's (gradients of the old parameters, then a scatter
/// update). A word can fill several slots (a frequent centre word, a label that is also a candidate);
/// instead of float atomics, each slot knows the next slot of the same word, and only the first slot
/// of a word sums the chain, in slot order, and writes the row: deterministic on every backend.
/// Gather and ApplySgd run one thread per row slot, each walking its row: a few hundred threads of D
/// columns. (One thread per element would coalesce better on a GPU, but on host threads the kernel's
/// arguments would be passed 40,000 times a step, which cost 5 ms.)
/// </para>
/// </summary>
public static class NceKernels
{
    /// <summary>
    /// Gathers rows and biases into the work buffers and computes the duplicate links, one thread per
    /// row slot (extent 2B + S): slots [0, B) inputs, [B, 2B) labels, [2B, 2B + S) candidates.
    /// </summary>
    public static void Gather(Index1D slot, NceViews v)
    {
        int dim = v.Dim, batch = v.Batch;
        if (slot < batch)
        {
            Copy(v.Embeddings, (long)v.Inputs[slot] * dim, v.InputRows, slot * dim, dim);
            Link(v.Inputs, v.Inputs, batch, batch, slot, v.InputLinks);
            return;
        }
        int c = slot - batch;
        int word = c < batch ? v.Labels[c] : v.Sampled[c - batch];
        if (c < batch)
        {
            Copy(v.Weights, (long)word * dim, v.LabelRows, c * dim, dim);
            v.LabelBiases[c] = v.Biases[word];
        }
        else
        {
            Copy(v.Weights, (long)word * dim, v.SampledRows, (c - batch) * dim, dim);
            v.SampledBiases[c - batch] = v.Biases[word];
        }
        Link(v.Labels, v.Sampled, batch, batch + v.NumSampled, c, v.OutputLinks);
    }

    /// <summary>
    /// Per example (extent B): the true logit and the candidate logits (already in <see cref="NceViews.Logits"/>
    /// without biases), each minus the log of its expected count when <paramref name="subtractLogCount"/>
    /// is 1 (NCE; 0 is plain negative sampling), the sigmoid cross-entropy summed over them, and the
    /// gradients of the batch-mean loss. With <paramref name="removeAccidentalHits"/> 1, a candidate
    /// equal to the example's label is dropped (TF sets its logit to -FLT_MAX: no loss, no gradient).
    /// </summary>
    public static void Loss(Index1D b, NceViews v, int range, int unique, int subtractLogCount, int removeAccidentalHits)
    {
        int dim = v.Dim, sampled = v.NumSampled, label = v.Labels[b];
        float invBatch = 1f / v.Batch;
        float t = v.LabelBiases[b];
        for (int d = 0; d < dim; d++) t += v.InputRows[b * dim + d] * v.LabelRows[b * dim + d];
        if (subtractLogCount != 0)
            t -= XMath.Log(CandidateSampling.ExpectedCount(
                CandidateSampling.LogUniformProbability(label, range), sampled, v.Tries[0], unique));
        float loss = Softplus(-t);
        v.LabelLogitGrads[b] = (Sigmoid(t) - 1f) * invBatch;
        for (int k = 0; k < sampled; k++)
        {
            int at = b * sampled + k;
            if (removeAccidentalHits != 0 && v.Sampled[k] == label)
            {
                v.Logits[at] = 0f;
                continue;
            }
            float l = v.Logits[at] + v.SampledBiases[k];
            if (subtractLogCount != 0) l -= v.SampledLogCount[k];
            loss += Softplus(l);
            v.Logits[at] = Sigmoid(l) * invBatch;
        }
        v.Losses[b] = loss;
    }

    /// <summary>
    /// row -= learningRate * gradient for every touched row, one thread per row slot (extent 2B + S:
    /// [0, B) inputs, [B, 2B + S) outputs, labels then candidates). Only a word's first slot writes,
    /// summing its chain in slot order.
    /// </summary>
    public static void ApplySgd(Index1D slot, NceViews v, float learningRate)
    {
        int dim = v.Dim, batch = v.Batch, sampled = v.NumSampled;
        if (slot < batch)
        {
            if (v.InputLinks[2 * slot] == 0) return;
            long row = (long)v.Inputs[slot] * dim;
            for (int d = 0; d < dim; d++)
            {
                float g = 0f;
                for (int s = slot; s >= 0; s = v.InputLinks[2 * s + 1])
                    g += v.InputGrads[s * dim + d] + v.LabelLogitGrads[s] * v.LabelRows[s * dim + d];
                v.Embeddings[row + d] -= learningRate * g;
            }
            return;
        }
        int c = slot - batch;
        if (v.OutputLinks[2 * c] == 0) return;
        int word = c < batch ? v.Labels[c] : v.Sampled[c - batch];
        long weightRow = (long)word * dim;
        for (int d = 0; d < dim; d++)
        {
            float w = 0f;
            for (int s = c; s >= 0; s = v.OutputLinks[2 * s + 1])
                w += s < batch ? v.LabelLogitGrads[s] * v.InputRows[s * dim + d] : v.SampledGrads[(s - batch) * dim + d];
            v.Weights[weightRow + d] -= learningRate * w;
        }
        float bias = 0f;
        for (int s = c; s >= 0; s = v.OutputLinks[2 * s + 1])
        {
            if (s < batch) bias += v.LabelLogitGrads[s];
            else
                for (int e = 0; e < batch; e++) bias += v.Logits[e * sampled + s - batch];
        }
        v.Biases[word] -= learningRate * bias;
    }

    /// <summary>log(1 + exp(x)) without overflow: the sigmoid cross-entropy of logit -x with target 1.</summary>
    public static float Softplus(float x) =>
        XMath.Max(x, 0f) + CandidateSampling.Log1P(XMath.Exp(-XMath.Abs(x)));

    /// <summary>1 / (1 + exp(-x)).</summary>
    public static float Sigmoid(float x) => 1f / (1f + XMath.Exp(-x));

    // Slot `slot` of the first `total` entries of the list first ++ second (first has `split`
    // entries): is it the word's first slot, and which later slot holds the same word next (-1: none)?
    private static void Link(ArrayView<int> first, ArrayView<int> second, int split, int total, int slot, ArrayView<int> links)
    {
        int word = At(first, second, split, slot);
        int isFirst = 1, next = -1;
        for (int s = 0; s < slot; s++)
            if (At(first, second, split, s) == word) isFirst = 0;
        for (int s = slot + 1; s < total && next < 0; s++)
            if (At(first, second, split, s) == word) next = s;
        links[2 * slot] = isFirst;
        links[2 * slot + 1] = next;
    }

    private static void Copy(ArrayView<float> from, long fromOffset, ArrayView<float> to, int toOffset, int count)
    {
        for (int d = 0; d < count; d++) to[toOffset + d] = from[fromOffset + d];
    }

    private static int At(ArrayView<int> first, ArrayView<int> second, int split, int slot) =>
        slot < split ? first[slot] : second[slot - split];
}
