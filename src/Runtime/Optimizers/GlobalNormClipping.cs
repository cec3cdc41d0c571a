using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;
using OptimizerKernels = GpuTrain.Kernels.Optimizers;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// tf.clip_by_global_norm over a whole gradient arena: the global norm is the L2 norm of every
/// gradient together; when it exceeds the clip norm every gradient is scaled by
/// clip / max(norm, clip). A non-finite norm yields NaN gradients, as in TensorFlow.
/// </summary>
public sealed class GlobalNormClipping : IDisposable
{
    // The norm is summed in a fixed number of chunks, each in index order on the device, then the
    // chunk sums in order on the host (in double): the same value on every run and every device
    // size. This is the step to swap for a shared Reduce kernel once one exists.
    private const int Chunks = 256;

    private readonly Device _device;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _partials;
    private readonly float[] _hostPartials = new float[Chunks];

    /// <summary>Clips to <paramref name="clipNorm"/> on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The clip norm is not positive and finite.</exception>
    public GlobalNormClipping(Device device, float clipNorm)
    {
        if (!(clipNorm > 0) || !float.IsFinite(clipNorm))
            throw new ArgumentException($"clip norm {clipNorm} must be positive and finite", nameof(clipNorm));
        _device = device;
        ClipNorm = clipNorm;
        _partials = device.Accelerator.Allocate1D<float>(Chunks);
    }

    /// <summary>The largest global norm left unscaled.</summary>
    public float ClipNorm { get; }

    /// <summary>Scales <paramref name="gradients"/> in place if needed; returns the global norm before clipping.</summary>
    public float Apply(ParameterArena gradients)
    {
        float norm = GlobalNorm(gradients.View);
        // Below the clip norm TF multiplies by clip * (1 / clip), which is 1 up to rounding; skipping
        // the launch keeps those gradients bit-exact.
        if (!(norm <= ClipNorm))
        {
            var scale = _device.Kernel(KernelKeys.Scale, acc =>
                acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, float>(OptimizerKernels.Scale));
            int threads = GridStride.Threads(_device.Accelerator, gradients.View.Length);
            scale(threads, threads, gradients.View, ClipNorm / MathF.Max(norm, ClipNorm));
        }
        return norm;
    }

    /// <summary>The L2 norm of <paramref name="values"/>, deterministic (fixed summation order).</summary>
    public float GlobalNorm(ArrayView<float> values)
    {
        var partials = _device.Kernel(KernelKeys.SumOfSquaresPartials, acc =>
            acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(OptimizerKernels.SumOfSquaresPartials));
        int chunkSize = (int)((values.Length + Chunks - 1) / Chunks);
        partials(Chunks, values, _partials.View, Math.Max(1, chunkSize));
        _partials.View.CopyToCPU(_hostPartials);
        double sum = 0;
        foreach (float p in _hostPartials) sum += p;
        return (float)Math.Sqrt(sum);
    }

    /// <inheritdoc />
    public void Dispose() => _partials.Dispose();
}
