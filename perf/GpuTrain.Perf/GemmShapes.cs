namespace GpuTrain.Perf;

/// <summary>One GEMM shape of the benchmark: C[m, n] = op(A) op(B), op(A) m x k.</summary>
public readonly record struct GemmShape(string Name, bool TransA, bool TransB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one call (a multiply and an add per term).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// Square sizes, then the Deep MNIST CNN at batch 50: each layer's forward (NN), weight gradient
    /// (TN: X^T dY) and input gradient (NT: dY W^T; none for conv1, whose input needs no gradient).
    /// Convolutions are im2col GEMMs: conv1 5x5x1 -> 32 on 28x28, conv2 5x5x32 -> 64 on 14x14.
    /// Then the PTB small LSTM (batch 20, 20 steps, 200 units, vocabulary 10,000): the recurrent GEMM
    /// of one time step and its input gradient, the input GEMM over all steps and the weight gradient,
    /// and the softmax layer's forward, weight gradient and input gradient.
    /// </summary>
    public static IReadOnlyList<GemmShape> All { get; } =
    [
        new("sq64", false, false, 64, 64, 64),
        new("sq256", false, false, 256, 256, 256),
        new("sq512", false, false, 512, 512, 512),
        new("sq1024", false, false, 1024, 1024, 1024),
        new("sq2048", false, false, 2048, 2048, 2048),
        new("conv1.fwd", false, false, 50 * 28 * 28, 32, 25),
        new("conv1.dW", true, false, 25, 32, 50 * 28 * 28),
        new("conv2.fwd", false, false, 50 * 14 * 14, 64, 800),
        new("conv2.dW", true, false, 800, 64, 50 * 14 * 14),
        new("conv2.dX", false, true, 50 * 14 * 14, 800, 64),
        new("fc1.fwd", false, false, 50, 1024, 3136),
        new("fc1.dW", true, false, 3136, 1024, 50),
        new("fc1.dX", false, true, 50, 3136, 1024),
        new("fc2.fwd", false, false, 50, 10, 1024),
        new("fc2.dW", true, false, 1024, 10, 50),
        new("fc2.dX", false, true, 50, 1024, 10),
        new("lstm.fwd", false, false, 20, 800, 200),
        new("lstm.dh", false, true, 20, 200, 800),
        new("lstm.in", false, false, 400, 800, 200),
        new("lstm.dW", true, false, 200, 800, 400),
        new("softmax.fwd", false, false, 400, 10000, 200),
        new("softmax.dW", true, false, 200, 10000, 400),
        new("softmax.dX", false, true, 400, 200, 10000),
    ];
}
