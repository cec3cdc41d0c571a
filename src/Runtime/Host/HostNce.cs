using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The gather, loss and sparse-SGD kernels of <see cref="NceKernels"/> on host threads. Through the
/// per-index launcher the three took 690 of a 740 us word2vec step: a few hundred slots are below
/// the launcher's parallel threshold, so here each slot's work (a row of D floats, or D x S for a
/// loss) is weighed when the slots are spread over the cores. Gather and SGD are mostly row copies
/// and sums, where every ArrayView access going through the buffer's address doubled their time,
/// so they are the kernels' twins over raw pointers: the same float operations in the same order,
/// hence the same bits (SkipGramNceTests holds them to the emulator).
/// </summary>
internal static unsafe class HostNce
{
    public static void Gather(NceViews v)
    {
        var p = new Pointers(v);
        int slots = 2 * v.Batch + v.NumSampled;
        HostParallel.ForRows(slots, v.Dim + slots, (lo, hi) =>
        {
            for (int slot = lo; slot < hi; slot++) GatherSlot(p, slot);
        });
    }

    // The loss is dominated by its exps and logs, not by view accesses: the kernel itself, spread
    // over the cores by its weight, is as fast as a pointer twin would be.
    public static void Loss(NceViews v, int range, int unique, int subtractLogCount, int removeAccidentalHits) =>
        HostParallel.ForRows(v.Batch, v.Dim + 8 * v.NumSampled, (lo, hi) =>
        {
            for (int b = lo; b < hi; b++) NceKernels.Loss(new Index1D(b), v, range, unique, subtractLogCount, removeAccidentalHits);
        });

    public static void ApplySgd(NceViews v, float learningRate)
    {
        var p = new Pointers(v);
        int slots = 2 * v.Batch + v.NumSampled;
        HostParallel.ForRows(slots, v.Dim, (lo, hi) =>
        {
            for (int slot = lo; slot < hi; slot++) SgdSlot(p, slot, learningRate);
        });
    }

    private static void GatherSlot(in Pointers v, int slot)
    {
        int dim = v.Dim, batch = v.Batch;
        if (slot < batch)
        {
            Copy(v.Embeddings + (long)v.Inputs[slot] * dim, v.InputRows + slot * dim, dim);
            Link(v.Inputs, v.Inputs, batch, batch, slot, v.InputLinks);
            return;
        }
        int c = slot - batch;
        int word = c < batch ? v.Labels[c] : v.Sampled[c - batch];
        if (c < batch)
        {
            Copy(v.Weights + (long)word * dim, v.LabelRows + c * dim, dim);
            v.LabelBiases[c] = v.Biases[word];
        }
        else
        {
            Copy(v.Weights + (long)word * dim, v.SampledRows + (c - batch) * dim, dim);
            v.SampledBiases[c - batch] = v.Biases[word];
        }
        Link(v.Labels, v.Sampled, batch, batch + v.NumSampled, c, v.OutputLinks);
    }

    private static void SgdSlot(in Pointers v, int slot, float learningRate)
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

    // NceKernels' Link over pointers: is slot `slot` its word's first, and which later slot holds it next?
    private static void Link(int* first, int* second, int split, int total, int slot, int* links)
    {
        int word = slot < split ? first[slot] : second[slot - split];
        int isFirst = 1, next = -1;
        for (int s = 0; s < slot; s++)
            if ((s < split ? first[s] : second[s - split]) == word) isFirst = 0;
        for (int s = slot + 1; s < total && next < 0; s++)
            if ((s < split ? first[s] : second[s - split]) == word) next = s;
        links[2 * slot] = isFirst;
        links[2 * slot + 1] = next;
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
