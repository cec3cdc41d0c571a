using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// Activation functions and their gradients, one thread per element. The gradients take what
/// TensorFlow's gradient ops take: ReluGrad the forward input (features), SigmoidGrad and TanhGrad
/// the forward output, so a layer keeps only one activation buffer per function. They overwrite
/// the input gradient (activation gradients are overwritten, never accumulated).
/// </summary>
public static class Activations
{
    /// <summary><c>y = max(x, 0)</c>.</summary>
    public static void Relu(Index1D i, ArrayView<float> x, ArrayView<float> y) =>
        y[i] = x[i] > 0f ? x[i] : 0f;

    /// <summary>
    /// <c>dx = dy</c> where the forward input <paramref name="x"/> was positive, else 0 (TF ReluGrad).
    /// The forward output works as well: it is positive exactly where the input was.
    /// </summary>
    public static void ReluGrad(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = x[i] > 0f ? dy[i] : 0f;

    /// <summary><c>y = 1 / (1 + exp(-x))</c>, computed without overflow for large |x|.</summary>
    public static void Sigmoid(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float v = x[i];
        // exp of a non-positive number never overflows; the two branches are the same function.
        float e = XMath.Exp(-XMath.Abs(v));
        y[i] = v >= 0f ? 1f / (1f + e) : e / (1f + e);
    }

    /// <summary><c>dx = dy * y * (1 - y)</c> from the forward output <paramref name="y"/> (TF SigmoidGrad).</summary>
    public static void SigmoidGrad(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = dy[i] * y[i] * (1f - y[i]);

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void Tanh(Index1D i, ArrayView<float> x, ArrayView<float> y) =>
        y[i] = XMath.Tanh(x[i]);

    /// <summary><c>dx = dy * (1 - y^2)</c> from the forward output <paramref name="y"/> (TF TanhGrad).</summary>
    public static void TanhGrad(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = dy[i] * (1f - y[i] * y[i]);
}
