using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// The fused cell of TensorFlow's BasicLSTMCell for one time step over a batch, one thread per
/// (example, unit). The gate pre-activations come from one matmul, <c>[x, h]·W + b</c>, laid out
/// [batch, 4·units] as TF splits them: i (input), j (candidate), f (forget), o (output):
/// <c>c' = c·σ(f + forget_bias) + σ(i)·tanh(j)</c>, <c>h' = tanh(c')·σ(o)</c>.
/// The backward pass recomputes the activations from the stored pre-activations and cell states
/// instead of keeping them.
/// </summary>
public static class LstmKernels
{
    /// <summary>
    /// Writes <paramref name="cell"/> and <paramref name="hidden"/> ([batch, units]) from the gate
    /// pre-activations <paramref name="gates"/> ([batch, 4·units]) and the previous cell state.
    /// </summary>
    public static void CellForward(Index1D index, ArrayView<float> gates, ArrayView<float> previousCell, int units,
        float forgetBias, ArrayView<float> cell, ArrayView<float> hidden)
    {
        int b = index / units, k = index % units;
        long g = (long)b * 4 * units + k;
        float i = Sigmoid(gates[g]);
        float j = XMath.Tanh(gates[g + units]);
        float f = Sigmoid(gates[g + 2 * units] + forgetBias);
        float o = Sigmoid(gates[g + 3 * units]);
        float c = previousCell[index] * f + i * j;
        cell[index] = c;
        hidden[index] = XMath.Tanh(c) * o;
    }

    /// <summary>
    /// Back-propagates through one cell step. <paramref name="dHidden"/> is the whole gradient
    /// reaching h' (from the layer above and from step t+1); <paramref name="dCell"/> holds the
    /// gradient reaching c' from step t+1 on entry and is overwritten with the gradient of the
    /// previous cell state. <paramref name="dGates"/> ([batch, 4·units]) receives the gradients of
    /// the four gate pre-activations.
    /// </summary>
    public static void CellBackward(Index1D index, ArrayView<float> gates, ArrayView<float> previousCell,
        ArrayView<float> cell, ArrayView<float> dHidden, int units, float forgetBias,
        ArrayView<float> dCell, ArrayView<float> dGates)
    {
        int b = index / units, k = index % units;
        long g = (long)b * 4 * units + k;
        float i = Sigmoid(gates[g]);
        float j = XMath.Tanh(gates[g + units]);
        float f = Sigmoid(gates[g + 2 * units] + forgetBias);
        float o = Sigmoid(gates[g + 3 * units]);
        float tc = XMath.Tanh(cell[index]);
        float dh = dHidden[index];
        float dc = dCell[index] + dh * o * (1f - tc * tc);
        dGates[g] = dc * j * i * (1f - i);
        dGates[g + units] = dc * i * (1f - j * j);
        dGates[g + 2 * units] = dc * previousCell[index] * f * (1f - f);
        dGates[g + 3 * units] = dh * tc * o * (1f - o);
        dCell[index] = dc * f;
    }

    private static float Sigmoid(float x) => 1f / (1f + XMath.Exp(-x));
}
