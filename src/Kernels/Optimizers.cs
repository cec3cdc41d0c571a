using ILGPU;
using ILGPU.Algorithms;

namespace GpuTrain.Kernels;

/// <summary>
/// Optimizer updates, one fused kernel per optimizer over the flat parameter arena.
/// <para>
/// Design note. Parameters, gradients and every slot (Adam's m and v, momentum and Adagrad
/// accumulators) are arenas with one layout, so an update is one launch over TotalSize elements
/// whatever the model; the alignment padding between tensors holds zero gradients and stays
/// unchanged (zero gradients move nothing). The formulas are TensorFlow's (training_ops.cc:
/// ApplyGradientDescent, ApplyMomentum, ApplyAdam, ApplyAdagrad) term for term, so a TF checkpoint
/// resumes into the same trajectory. Scalars (learning rate, betas) come as kernel arguments; Adam's
/// beta powers live on the device as TF1's non-slot variables, read by every thread and advanced
/// by a one-thread kernel after the update. The element-wise updates are grid-stride loops
/// (thread t handles t, t + threads, ...) launched with one wave of threads: the CPU accelerator
/// pays microseconds per emulated thread, so one thread per element would cost seconds per step
/// there, while on a GPU consecutive threads still touch consecutive floats. The global-norm partial sums run each chunk sequentially
/// in a fixed order, so the norm is deterministic without float atomics.
/// </para>
/// </summary>
public static class Optimizers
{
    /// <summary>Gradient descent: param -= lr * grad.</summary>
    public static void Sgd(Index1D thread, int threads, ArrayView<float> param, ArrayView<float> grad, float learningRate)
    {
        for (long i = thread; i < param.Length; i += threads) param[i] -= grad[i] * learningRate;
    }

    /// <summary>
    /// Momentum: accum = accum * momentum + grad; then param -= lr * accum, or with Nesterov
    /// (<paramref name="nesterov"/> != 0) param -= lr * grad + lr * momentum * accum.
    /// </summary>
    public static void Momentum(Index1D thread, int threads, ArrayView<float> param, ArrayView<float> grad,
        ArrayView<float> accum, float learningRate, float momentum, int nesterov)
    {
        for (long i = thread; i < param.Length; i += threads)
        {
            float g = grad[i];
            float a = accum[i] * momentum + g;
            accum[i] = a;
            param[i] -= nesterov != 0 ? g * learningRate + a * momentum * learningRate : a * learningRate;
        }
    }

    /// <summary>
    /// Adam with TF's bias correction folded into the step size:
    /// lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m += (g - m)(1 - beta1);
    /// v += (g^2 - v)(1 - beta2); param -= lr_t * m / (sqrt(v) + epsilon).
    /// <paramref name="beta1Power"/> and <paramref name="beta2Power"/> are one-element views.
    /// </summary>
    public static void Adam(Index1D thread, int threads, ArrayView<float> param, ArrayView<float> grad,
        ArrayView<float> m, ArrayView<float> v, ArrayView<float> beta1Power, ArrayView<float> beta2Power,
        float learningRate, float beta1, float beta2, float epsilon)
    {
        float alpha = learningRate * XMath.Sqrt(1f - beta2Power[0]) / (1f - beta1Power[0]);
        for (long i = thread; i < param.Length; i += threads)
        {
            float g = grad[i];
            float mi = m[i] + (g - m[i]) * (1f - beta1);
            float vi = v[i] + (g * g - v[i]) * (1f - beta2);
            m[i] = mi;
            v[i] = vi;
            param[i] -= mi * alpha / (XMath.Sqrt(vi) + epsilon);
        }
    }

    /// <summary>After an Adam update: beta1_power *= beta1, beta2_power *= beta2 (launch with one thread).</summary>
    public static void AdvanceAdamPowers(Index1D i, ArrayView<float> beta1Power, ArrayView<float> beta2Power,
        float beta1, float beta2)
    {
        beta1Power[i] *= beta1;
        beta2Power[i] *= beta2;
    }

    /// <summary>Adagrad: accum += grad^2; param -= lr * grad / sqrt(accum).</summary>
    public static void Adagrad(Index1D thread, int threads, ArrayView<float> param, ArrayView<float> grad,
        ArrayView<float> accum, float learningRate)
    {
        for (long i = thread; i < param.Length; i += threads)
        {
            float g = grad[i];
            float a = accum[i] + g * g;
            accum[i] = a;
            param[i] -= learningRate * g / XMath.Sqrt(a);
        }
    }

    /// <summary>values *= scale (gradient clipping).</summary>
    public static void Scale(Index1D thread, int threads, ArrayView<float> values, float scale)
    {
        for (long i = thread; i < values.Length; i += threads) values[i] *= scale;
    }
}
