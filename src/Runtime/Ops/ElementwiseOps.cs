using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="Elementwise"/> kernels on a device's default stream (asynchronous, in
/// order with every other launch there). Views must have equal lengths; outputs may alias inputs.
/// Kernels are loaded once per device, with ILGPU's automatic group size.
/// </summary>
internal static class ElementwiseOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> AddKernel = Elementwise.Add;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> MulKernel = Elementwise.Mul;
    private static readonly Action<Index1D, ArrayView<float>, float, ArrayView<float>> ScaleKernel = Elementwise.Scale;
    private static readonly Action<Index1D, float, ArrayView<float>, ArrayView<float>> AxpyKernel = Elementwise.Axpy;
    private static readonly Action<Index1D, ArrayView<float>, float> FillKernel = Elementwise.Fill;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>> CopyKernel = Elementwise.Copy;

    /// <summary><c>c = a + b</c>.</summary>
    public static void Add(Device device, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        ViewChecks.SameLength(c, a, nameof(c), nameof(a));
        ViewChecks.SameLength(c, b, nameof(c), nameof(b));
        if (c.Length == 0) return;
        device.Kernel(AddKernel, acc => acc.LoadAutoGroupedStreamKernel(AddKernel))(ViewChecks.Extent(c, nameof(c)), a, b, c);
    }

    /// <summary><c>c = a * b</c> (elementwise).</summary>
    public static void Mul(Device device, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        ViewChecks.SameLength(c, a, nameof(c), nameof(a));
        ViewChecks.SameLength(c, b, nameof(c), nameof(b));
        if (c.Length == 0) return;
        device.Kernel(MulKernel, acc => acc.LoadAutoGroupedStreamKernel(MulKernel))(ViewChecks.Extent(c, nameof(c)), a, b, c);
    }

    /// <summary><c>y = alpha * x</c>.</summary>
    public static void Scale(Device device, ArrayView<float> x, float alpha, ArrayView<float> y)
    {
        ViewChecks.SameLength(y, x, nameof(y), nameof(x));
        if (y.Length == 0) return;
        device.Kernel(ScaleKernel, acc => acc.LoadAutoGroupedStreamKernel(ScaleKernel))(ViewChecks.Extent(y, nameof(y)), x, alpha, y);
    }

    /// <summary><c>y += alpha * x</c>.</summary>
    public static void Axpy(Device device, float alpha, ArrayView<float> x, ArrayView<float> y)
    {
        ViewChecks.SameLength(y, x, nameof(y), nameof(x));
        if (y.Length == 0) return;
        device.Kernel(AxpyKernel, acc => acc.LoadAutoGroupedStreamKernel(AxpyKernel))(ViewChecks.Extent(y, nameof(y)), alpha, x, y);
    }

    /// <summary>Sets every element of <paramref name="y"/> to <paramref name="value"/>.</summary>
    public static void Fill(Device device, ArrayView<float> y, float value)
    {
        if (y.Length == 0) return;
        if (device.RunsKernelsOnHost)
        {
            // The per-index kernel writes one float per call; a span fill per contiguous chunk runs at memory speed.
            HostElementwise.Fill(y, value);
            return;
        }
        device.Kernel(FillKernel, acc => acc.LoadAutoGroupedStreamKernel(FillKernel))(ViewChecks.Extent(y, nameof(y)), y, value);
    }

    /// <summary>
    /// Sets every element of <paramref name="y"/> to zero: the way to zero a view that may not start
    /// at its buffer's first element. ILGPU 1.5.3's OpenCL memset scales a view's offset by the
    /// element size twice, so <c>MemSetToZero</c> on such a view zeroes the wrong bytes or fails with
    /// CL_INVALID_VALUE; a kernel is right on every backend.
    /// </summary>
    public static void Zero(Device device, ArrayView<float> y) => Fill(device, y, 0f);

    /// <summary><c>dst = src</c> as a kernel (ordered with launches; for bulk copies prefer <c>CopyTo</c>).</summary>
    public static void Copy(Device device, ArrayView<float> src, ArrayView<float> dst)
    {
        ViewChecks.SameLength(dst, src, nameof(dst), nameof(src));
        if (dst.Length == 0) return;
        device.Kernel(CopyKernel, acc => acc.LoadAutoGroupedStreamKernel(CopyKernel))(ViewChecks.Extent(dst, nameof(dst)), src, dst);
    }
}
