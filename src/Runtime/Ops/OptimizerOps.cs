using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;
using OptimizerKernels = GpuTrain.Kernels.Optimizers;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the fused updates of <see cref="OptimizerKernels"/> over a flat arena (parameters,
/// gradients and slots share one layout) and the gradient scaling of global-norm clipping. The one
/// place where these choose host or device: on host threads SGD, Adam and the scaling take their SIMD
/// twins (<see cref="HostSgd"/>, <see cref="HostAdam"/>, <see cref="HostElementwise"/>: the same
/// operations per element), the others run
/// the kernel on host threads. The element-wise kernels are grid-stride loops launched with one wave
/// of threads (see <see cref="Threads"/>).
/// </summary>
internal static class OptimizerOps
{
    private static readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, float> SgdKernel = OptimizerKernels.Sgd;
    private static readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int> MomentumKernel =
        OptimizerKernels.Momentum;
    private static readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, float, float, float, float> AdamKernel = OptimizerKernels.Adam;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float, float> AdvancePowersKernel =
        OptimizerKernels.AdvanceAdamPowers;
    private static readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float> AdagradKernel =
        OptimizerKernels.Adagrad;
    private static readonly Action<Index1D, int, ArrayView<float>, float> ScaleKernel = OptimizerKernels.Scale;

    /// <summary>Gradient descent: param -= learningRate · grad.</summary>
    public static void Sgd(Device device, ArrayView<float> param, ArrayView<float> grad, float learningRate)
    {
        ViewChecks.SameLength(grad, param, nameof(grad), nameof(param));
        if (device.RunsKernelsOnHost) HostSgd.Update(param, grad, learningRate);
        else
        {
            int threads = Threads(device, param.Length);
            device.Kernel(SgdKernel, a => a.LoadAutoGroupedStreamKernel(SgdKernel))(threads, threads, param, grad, learningRate);
        }
    }

    /// <summary>TF's ApplyMomentum (Nesterov when <paramref name="nesterov"/>), accumulating into <paramref name="accumulators"/>.</summary>
    public static void Momentum(Device device, ArrayView<float> param, ArrayView<float> grad, ArrayView<float> accumulators,
        float learningRate, float momentum, bool nesterov)
    {
        int threads = Threads(device, param.Length);
        device.Kernel(MomentumKernel, a => a.LoadAutoGroupedStreamKernel(MomentumKernel))(threads, threads, param, grad, accumulators, learningRate, momentum, nesterov ? 1 : 0);
    }

    /// <summary>
    /// TF's ApplyAdam with the bias correction of the device-resident <paramref name="beta1Power"/> and
    /// <paramref name="beta2Power"/> (one float each), which it then advances by one step.
    /// </summary>
    public static void Adam(Device device, ArrayView<float> param, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v,
        ArrayView<float> beta1Power, ArrayView<float> beta2Power, float learningRate, float beta1, float beta2, float epsilon)
    {
        ViewChecks.SameLength(grad, param, nameof(grad), nameof(param));
        if (device.RunsKernelsOnHost)
            HostAdam.Update(param, grad, m, v, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon);
        else
        {
            int threads = Threads(device, param.Length);
            device.Kernel(AdamKernel, a => a.LoadAutoGroupedStreamKernel(AdamKernel))(threads, threads, param, grad, m, v, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon);
        }
        device.Kernel(AdvancePowersKernel, a => a.LoadAutoGroupedStreamKernel(AdvancePowersKernel))(1, beta1Power, beta2Power, beta1, beta2);
    }

    /// <summary>TF's ApplyAdagrad, accumulating squared gradients into <paramref name="accumulators"/>.</summary>
    public static void Adagrad(Device device, ArrayView<float> param, ArrayView<float> grad, ArrayView<float> accumulators, float learningRate)
    {
        int threads = Threads(device, param.Length);
        device.Kernel(AdagradKernel, a => a.LoadAutoGroupedStreamKernel(AdagradKernel))(threads, threads, param, grad, accumulators, learningRate);
    }

    /// <summary>values *= scale, in place.</summary>
    public static void Scale(Device device, ArrayView<float> values, float scale)
    {
        if (device.RunsKernelsOnHost)
        {
            HostElementwise.Scale(values, scale);
            return;
        }
        int threads = Threads(device, values.Length);
        device.Kernel(ScaleKernel, a => a.LoadAutoGroupedStreamKernel(ScaleKernel))(threads, threads, values, scale);
    }

    /// <summary>
    /// How many threads a grid-stride kernel over <paramref name="elements"/> is launched with: one wave
    /// of the accelerator (every thread it can run at once), fewer for short arrays. ILGPU's CPU emulator
    /// then runs 16-odd threads each looping over its share instead of one emulated thread per element.
    /// When the device runs kernels on host threads, one index per element instead, so that each host
    /// chunk is a contiguous range of the arena rather than an interleaved stripe.
    /// </summary>
    private static int Threads(Device device, long elements) =>
        (int)Math.Max(1, device.RunsKernelsOnHost ? elements : Math.Min(elements, device.Accelerator.MaxNumThreads));
}
