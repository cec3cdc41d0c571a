using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// Row softmax and softmax cross-entropy over row-major [rows, cols] logits, one thread per row
/// (rows are batch entries, a few hundred at most, and one thread sums its row in a fixed order,
/// which keeps the loss deterministic). Every exponent is taken after subtracting the row maximum,
/// so logits of +-1e4 give finite probabilities, losses and gradients.
/// </summary>
public static class Softmax
{
    /// <summary><c>y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max))</c>; one thread per row.</summary>
    public static void Rows(Index1D r, ArrayView<float> x, int cols, ArrayView<float> y)
    {
        long start = (long)r.X * cols;
        float sum = ExpShifted(x, start, cols, RowMax(x, start, cols), y);
        float inv = 1f / sum;
        for (int c = 0; c < cols; c++)
            y[start + c] *= inv;
    }

    /// <summary>
    /// Softmax cross-entropy with integer labels, one thread per row: writes the row's softmax into
    /// <paramref name="probs"/> (kept for the backward) and
    /// <c>loss[r] = logsumexp(x[r, :]) - x[r, labels[r]]</c>.
    /// </summary>
    public static void CrossEntropy(Index1D r, ArrayView<float> logits, ArrayView<int> labels, int cols,
        ArrayView<float> probs, ArrayView<float> loss)
    {
        long start = (long)r.X * cols;
        float max = RowMax(logits, start, cols);
        float sum = ExpShifted(logits, start, cols, max, probs);
        float inv = 1f / sum;
        for (int c = 0; c < cols; c++)
            probs[start + c] *= inv;
        // log(sum) - (x_label - max): both terms are bounded, whatever the logits' magnitude.
        loss[r] = XMath.Log(sum) - (logits[start + labels[r]] - max);
    }

    /// <summary>
    /// Gradient of the cross-entropy: <c>dlogits[r, c] = scale * (probs[r, c] - (c == labels[r]))</c>,
    /// one thread per element. For the batch-mean loss pass <c>scale = 1 / rows</c>.
    /// </summary>
    public static void CrossEntropyGrad(Index1D i, ArrayView<float> probs, ArrayView<int> labels, int cols,
        float scale, ArrayView<float> dlogits)
    {
        int r = i / cols, c = i % cols;
        float onehot = labels[r] == c ? 1f : 0f;
        dlogits[i] = scale * (probs[i] - onehot);
    }

    private static float RowMax(ArrayView<float> x, long start, int cols)
    {
        float max = x[start];
        for (int c = 1; c < cols; c++)
            max = XMath.Max(max, x[start + c]);
        return max;
    }

    /// <summary>Writes exp(x - max) into y for the row and returns their sum.</summary>
    private static float ExpShifted(ArrayView<float> x, long start, int cols, float max, ArrayView<float> y)
    {
        float sum = 0f;
        for (int c = 0; c < cols; c++)
        {
            float e = XMath.Exp(x[start + c] - max);
            y[start + c] = e;
            sum += e;
        }
        return sum;
    }
}
