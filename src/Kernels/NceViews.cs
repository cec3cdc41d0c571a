using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// The buffers of one NCE step (<see cref="NceKernels"/>), bundled so the kernel signatures stay
/// short. B is the batch, S the candidates per step, D the embedding width. Row slots: an input slot
/// per example (its embedding row) and an output slot per example's label and per candidate (their
/// NCE weight rows and biases), output slot c &lt; B being label c and c = B + k candidate k.
/// </summary>
public struct NceViews
{
    /// <summary>The embedding table, vocabulary x D (row-major).</summary>
    public ArrayView<float> Embeddings;

    /// <summary>The NCE weight table, vocabulary x D.</summary>
    public ArrayView<float> Weights;

    /// <summary>The NCE biases, one per vocabulary word.</summary>
    public ArrayView<float> Biases;

    /// <summary>Centre word of each example, B.</summary>
    public ArrayView<int> Inputs;

    /// <summary>Context word (the true class) of each example, B.</summary>
    public ArrayView<int> Labels;

    /// <summary>The step's candidates, S.</summary>
    public ArrayView<int> Sampled;

    /// <summary>Log expected count of each candidate, S.</summary>
    public ArrayView<float> SampledLogCount;

    /// <summary>[0]: draws the sampler made.</summary>
    public ArrayView<int> Tries;

    /// <summary>Gathered embedding rows of the inputs, B x D.</summary>
    public ArrayView<float> InputRows;

    /// <summary>Gathered weight rows of the labels, B x D.</summary>
    public ArrayView<float> LabelRows;

    /// <summary>Gathered weight rows of the candidates, S x D.</summary>
    public ArrayView<float> SampledRows;

    /// <summary>Gathered biases of the labels, B.</summary>
    public ArrayView<float> LabelBiases;

    /// <summary>Gathered biases of the candidates, S.</summary>
    public ArrayView<float> SampledBiases;

    /// <summary>B x S: input rows times candidate rows, then the gradient of the loss with respect to each candidate logit.</summary>
    public ArrayView<float> Logits;

    /// <summary>Gradient of the loss with respect to each example's true logit, B.</summary>
    public ArrayView<float> LabelLogitGrads;

    /// <summary>Each example's loss (its true and candidate terms summed), B.</summary>
    public ArrayView<float> Losses;

    /// <summary>B x D: candidate-logit gradients times candidate rows (the candidates' part of each input row's gradient).</summary>
    public ArrayView<float> InputGrads;

    /// <summary>S x D: each candidate row's gradient.</summary>
    public ArrayView<float> SampledGrads;

    /// <summary>2B: per input slot, 1 when it is the first slot of its word, and the next slot of the same word (-1 at the end).</summary>
    public ArrayView<int> InputLinks;

    /// <summary>2(B + S): the same links over the output slots.</summary>
    public ArrayView<int> OutputLinks;

    /// <summary>B.</summary>
    public int Batch;

    /// <summary>S.</summary>
    public int NumSampled;

    /// <summary>D.</summary>
    public int Dim;
}
