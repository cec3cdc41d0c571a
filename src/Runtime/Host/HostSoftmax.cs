using System.Numerics.Tensors;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Softmax cross-entropy of <see cref="Kernels.Softmax"/> on host SIMD, rows spread over the cores.
/// The kernel gives each row one thread that walks it with a scalar exp; a language model's rows
/// are a whole vocabulary wide (10,000 in the PTB small config), so on host threads the forward was
/// 37 ms of a 126 ms step, on one core. Here each row is max, subtract, vectorized exp, sum and scale
/// (TensorPrimitives). The vectorized exp and the lane-wise sum round differently from the kernel's
/// scalar loop (within a few ulps), so unlike the other host paths this one matches the emulator
/// closely, not bit for bit; it is still deterministic (a row never straddles two threads). The
/// gradient is element for element the kernel's.
/// </summary>
internal static unsafe class HostSoftmax
{
    public static void CrossEntropy(ArrayView<float> logits, ArrayView<int> labels, int cols, ArrayView<float> probs, ArrayView<float> loss)
    {
        nint px = (nint)HostMemory.Pointer(logits), pl = (nint)HostMemory.Pointer(labels);
        nint pp = (nint)HostMemory.Pointer(probs), ploss = (nint)HostMemory.Pointer(loss);
        CheckLabels((int*)pl, checked((int)labels.Length), cols);
        HostParallel.ForRows(checked((int)loss.Length), cols,
            (lo, hi) => CrossEntropyRows((float*)px, (int*)pl, cols, (float*)pp, (float*)ploss, lo, hi));
    }

    public static void CrossEntropyGrad(ArrayView<float> probs, ArrayView<int> labels, int cols, float scale, ArrayView<float> dlogits)
    {
        nint pp = (nint)HostMemory.Pointer(probs), pl = (nint)HostMemory.Pointer(labels), pd = (nint)HostMemory.Pointer(dlogits);
        CheckLabels((int*)pl, checked((int)labels.Length), cols);
        HostParallel.ForRows(checked((int)labels.Length), cols,
            (lo, hi) => GradRows((float*)pp, (int*)pl, cols, scale, (float*)pd, lo, hi));
    }

    private static void CrossEntropyRows(float* logits, int* labels, int cols, float* probs, float* loss, int lo, int hi)
    {
        for (int r = lo; r < hi; r++)
        {
            int label = labels[r];
            var x = new ReadOnlySpan<float>(logits + (long)r * cols, cols);
            var p = new Span<float>(probs + (long)r * cols, cols);
            float max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, p);
            TensorPrimitives.Exp(p, p);
            float sum = TensorPrimitives.Sum<float>(p);
            TensorPrimitives.Multiply(p, 1f / sum, p);
            // log(sum) - (x_label - max), as the kernel: bounded whatever the logits' magnitude.
            loss[r] = MathF.Log(sum) - (x[label] - max);
        }
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
