using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Softmax cross-entropy of <see cref="Kernels.Softmax"/> on host SIMD, rows spread over the cores.
/// The kernel gives each row one thread that walks it with a scalar exp; a language model's rows
/// are a whole vocabulary wide (10,000 in the PTB small config: 4M exps a step), so each row here is
/// two passes: its max, then exp(x - max) stored and summed in the same sweep (<see cref="HostExp"/>,
/// a float polynomial with FMAs), then one scaling in place while the row is still in cache; with
/// TensorPrimitives' exp, which computes in double, and a separate gradient pass a row took twice
/// as long (one core, 400 x 10,000: 4.2-4.6 ms against 2.2-2.4 ms). A training loss asks for the gradient
/// in the same sweep (<see cref="CrossEntropyWithGradient"/>), so the 16 MB of probabilities are
/// not written, read back and written again by a separate gradient pass. The vectorized exp and the
/// lane-wise sum round differently from the kernel's scalar loop (within a few ulps), so unlike the
/// other host paths this one is held to a float64 reference, not to the emulator bit for bit; it is
/// still deterministic (a row never straddles two threads). <see cref="CrossEntropyGrad"/> is
/// element for element the kernel's.
/// </summary>
internal static unsafe class HostSoftmax
{
    public static void CrossEntropy(ArrayView<float> logits, ArrayView<int> labels, int cols, ArrayView<float> probs, ArrayView<float> loss) =>
        Rows(logits, labels, cols, probs, loss, 1f, gradient: false);

    /// <summary>The loss of each row and, in place of its probabilities, <paramref name="scale"/> · (softmax − onehot).</summary>
    public static void CrossEntropyWithGradient(ArrayView<float> logits, ArrayView<int> labels, int cols, float scale,
        ArrayView<float> dlogits, ArrayView<float> loss) =>
        Rows(logits, labels, cols, dlogits, loss, scale, gradient: true);

    public static void CrossEntropyGrad(ArrayView<float> probs, ArrayView<int> labels, int cols, float scale, ArrayView<float> dlogits)
    {
        nint pp = (nint)HostMemory.Pointer(probs), pl = (nint)HostMemory.Pointer(labels), pd = (nint)HostMemory.Pointer(dlogits);
        CheckLabels((int*)pl, checked((int)labels.Length), cols);
        HostParallel.ForRows(checked((int)labels.Length), cols,
            (lo, hi) => GradRows((float*)pp, (int*)pl, cols, scale, (float*)pd, lo, hi));
    }

    private static void Rows(ArrayView<float> logits, ArrayView<int> labels, int cols, ArrayView<float> output, ArrayView<float> loss,
        float scale, bool gradient)
    {
        nint px = (nint)HostMemory.Pointer(logits), pl = (nint)HostMemory.Pointer(labels);
        nint po = (nint)HostMemory.Pointer(output), ploss = (nint)HostMemory.Pointer(loss);
        CheckLabels((int*)pl, checked((int)labels.Length), cols);
        HostParallel.ForRows(checked((int)loss.Length), cols, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
                ((float*)ploss)[r] = Row((float*)px + (long)r * cols, ((int*)pl)[r], cols, (float*)po + (long)r * cols, scale, gradient);
        });
    }

    // One row: y = scale · softmax(x) (minus scale at the label for a gradient); returns the loss
    // log(sum) - (x_label - max), as the kernel: bounded whatever the logits' magnitude.
    private static float Row(float* x, int label, int cols, float* y, float scale, bool gradient)
    {
        float max = TensorPrimitives.Max(new ReadOnlySpan<float>(x, cols)), labelLogit = x[label];
        var (sum, c) = Vector512.IsHardwareAccelerated ? ExpSum512(x, y, cols, max) : ExpSum256(x, y, cols, max);
        for (; c < cols; c++)
        {
            float e = MathF.Exp(x[c] - max);
            sum += e;
            y[c] = e;
        }
        float labelExp = y[label];
        TensorPrimitives.Multiply(new ReadOnlySpan<float>(y, cols), scale / sum, new Span<float>(y, cols));
        if (gradient) y[label] = scale * (labelExp / sum - 1f);
        return MathF.Log(sum) - (labelLogit - max);
    }

    // y = exp(x - max) over whole pairs of vectors; their sum (in two accumulators: shorter chains,
    // less rounding) and how far it got.
    private static (float Sum, int Done) ExpSum512(float* x, float* y, int cols, float max)
    {
        const int width = 16;
        var shift = Vector512.Create(max);
        Vector512<float> even = Vector512<float>.Zero, odd = Vector512<float>.Zero;
        int c = 0;
        for (; c + 2 * width <= cols; c += 2 * width)
        {
            var e0 = HostExp.NonPositive(Vector512.Load(x + c) - shift);
            var e1 = HostExp.NonPositive(Vector512.Load(x + c + width) - shift);
            even += e0;
            odd += e1;
            e0.Store(y + c);
            e1.Store(y + c + width);
        }
        return (Vector512.Sum(even + odd), c);
    }

    private static (float Sum, int Done) ExpSum256(float* x, float* y, int cols, float max)
    {
        const int width = 8;
        var shift = Vector256.Create(max);
        Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
        int c = 0;
        for (; c + 2 * width <= cols; c += 2 * width)
        {
            var e0 = HostExp.NonPositive(Vector256.Load(x + c) - shift);
            var e1 = HostExp.NonPositive(Vector256.Load(x + c + width) - shift);
            even += e0;
            odd += e1;
            e0.Store(y + c);
            e1.Store(y + c + width);
        }
        return (Vector256.Sum(even + odd), c);
    }

    private static void GradRows(float* probs, int* labels, int cols, float scale, float* dlogits, int lo, int hi)
    {
        for (int r = lo; r < hi; r++)
        {
            int label = labels[r];
            var p = new ReadOnlySpan<float>(probs + (long)r * cols, cols);
            var d = new Span<float>(dlogits + (long)r * cols, cols);
            float labelProb = p[label]; // read before writing: dlogits may alias probs
            TensorPrimitives.Multiply(p, scale, d);
            d[label] = scale * (labelProb - 1f);
        }
    }

    // The rows run on pool threads and index with the labels: check them all first, here, so that a
    // bad one is one clear error (naming its row) instead of an exception from inside the loop.
    private static void CheckLabels(int* labels, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            if ((uint)labels[r] >= (uint)cols)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {labels[r]} of row {r} is outside [0, {cols})");
    }
}
