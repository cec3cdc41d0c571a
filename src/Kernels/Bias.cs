using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Bias of a row-major [rows, cols] activation: the forward add broadcasts a [cols] bias over rows;
/// the backward sums the output gradient over rows, one thread per column in a fixed row order, so
/// the bias gradient is deterministic (no atomics).
/// </summary>
public static class Bias
{
    /// <summary><c>y[r, c] = x[r, c] + bias[c]</c>; one thread per element of the [rows, cols] view.</summary>
    public static void Add(Index1D i, ArrayView<float> x, ArrayView<float> bias, int cols, ArrayView<float> y) =>
        y[i] = x[i] + bias[i % cols];

    /// <summary>
    /// <c>dbias[c] = beta * dbias[c] + sum_r dy[r, c]</c>, one thread per column. beta = 0 overwrites
    /// (whatever dbias held, even NaN), beta = 1 accumulates as parameter gradients do.
    /// </summary>
    public static void Grad(Index1D c, ArrayView<float> dy, int rows, int cols, float beta, ArrayView<float> dbias)
    {
        float sum = 0f;
        for (int r = 0; r < rows; r++)
            sum += dy[(long)r * cols + c.X];
        dbias[c] = beta == 0f ? sum : beta * dbias[c] + sum;
    }
}
