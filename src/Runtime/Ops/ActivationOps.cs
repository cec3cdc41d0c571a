using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="Activations"/> kernels on the device's default stream. Forward ops write
/// <c>y</c> from <c>x</c>; gradient ops overwrite <c>dx</c> from <c>dy</c> and the tensor TensorFlow's
/// gradient takes (ReLU: the forward input; sigmoid, tanh: the forward output). All views have equal
/// lengths; <c>y</c> may alias <c>x</c> and <c>dx</c> may alias <c>dy</c>.
/// </summary>
internal static class ActivationOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>> ReluKernel = Activations.Relu;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>> SigmoidKernel = Activations.Sigmoid;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>> TanhKernel = Activations.Tanh;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> ReluGradKernel = Activations.ReluGrad;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> SigmoidGradKernel = Activations.SigmoidGrad;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> TanhGradKernel = Activations.TanhGrad;

    /// <summary><c>y = max(x, 0)</c>.</summary>
    public static void Relu(Device device, ArrayView<float> x, ArrayView<float> y) => Forward(device, ReluKernel, x, y, HostActivations.Relu);

    /// <summary><c>y = sigmoid(x)</c>.</summary>
    public static void Sigmoid(Device device, ArrayView<float> x, ArrayView<float> y) => Forward(device, SigmoidKernel, x, y);

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void Tanh(Device device, ArrayView<float> x, ArrayView<float> y) => Forward(device, TanhKernel, x, y);

    /// <summary><c>dx = x &gt; 0 ? dy : 0</c>, from the forward input <paramref name="x"/>.</summary>
    public static void ReluGrad(Device device, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) =>
        Backward(device, ReluGradKernel, x, dy, dx, nameof(x), HostActivations.ReluGrad);

    /// <summary><c>dx = dy * y * (1 - y)</c>, from the forward output <paramref name="y"/>.</summary>
    public static void SigmoidGrad(Device device, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        Backward(device, SigmoidGradKernel, y, dy, dx, nameof(y));

    /// <summary><c>dx = dy * (1 - y^2)</c>, from the forward output <paramref name="y"/>.</summary>
    public static void TanhGrad(Device device, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        Backward(device, TanhGradKernel, y, dy, dx, nameof(y));

    // host: the host SIMD version of the kernel, used when the device runs kernels on host threads.
    private static void Forward(Device device, Action<Index1D, ArrayView<float>, ArrayView<float>> kernel,
        ArrayView<float> x, ArrayView<float> y, Action<ArrayView<float>, ArrayView<float>>? host = null)
    {
        ViewChecks.SameLength(y, x, nameof(y), nameof(x));
        if (y.Length == 0) return;
        if (host is not null && device.RunsKernelsOnHost) host(x, y);
        else device.Kernel(kernel, acc => acc.LoadAutoGroupedStreamKernel(kernel))(ViewChecks.Extent(y, nameof(y)), x, y);
    }

    private static void Backward(Device device, Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> kernel,
        ArrayView<float> saved, ArrayView<float> dy, ArrayView<float> dx, string savedName,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>>? host = null)
    {
        ViewChecks.SameLength(dx, saved, nameof(dx), savedName);
        ViewChecks.SameLength(dx, dy, nameof(dx), nameof(dy));
        if (dx.Length == 0) return;
        if (host is not null && device.RunsKernelsOnHost) host(saved, dy, dx);
        else device.Kernel(kernel, acc => acc.LoadAutoGroupedStreamKernel(kernel))(ViewChecks.Extent(dx, nameof(dx)), saved, dy, dx);
    }
}
