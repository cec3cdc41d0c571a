using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Inverted dropout with counter-based masks: element i is kept when
/// <c>Philox.Uniform(seed, stream, i) &lt; keepProb</c> and then scaled by 1/keepProb (TensorFlow's
/// <c>tf.nn.dropout</c>). The mask is a pure function of (seed, stream, i), so the backward pass
/// recomputes it instead of storing it, and a resumed run that passes the same stream (the step)
/// draws the same mask. The counter is <c>first + i</c>: a data-parallel rank whose slice of the
/// global batch starts at element <c>first</c> draws the mask one process draws for those elements.
/// </summary>
public static class DropoutKernels
{
    /// <summary>
    /// Y = mask ⊙ X / keepProb, one thread per element. Also used for the backward pass
    /// (dX = mask ⊙ dY / keepProb): the same mask applied to the gradient.
    /// </summary>
    public static void Apply(Index1D index, ArrayView<float> input, ArrayView<float> output,
        ulong seed, ulong stream, ulong first, float keepProb)
    {
        bool keep = Philox.Uniform(seed, stream, first + (ulong)index.X) < keepProb;
        output[index] = keep ? input[index] / keepProb : 0f;
    }
}
