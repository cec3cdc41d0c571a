using GpuTrain.Kernels;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// Launches the <see cref="Softmax"/> kernels over row-major [rows, cols] logits on the device's
/// default stream. Labels are class indices in [0, cols), one per row (not checked on the device; the
/// host path of a CPU accelerator refuses one outside). On host threads the cross-entropy and its
/// gradient take <see cref="HostSoftmax"/>.
/// </summary>
internal static class SoftmaxOps
{
    private static readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>> RowsKernel = Softmax.Rows;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<int>, int, ArrayView<float>, ArrayView<float>> CrossEntropyKernel = Softmax.CrossEntropy;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<int>, int, float, ArrayView<float>> CrossEntropyGradKernel = Softmax.CrossEntropyGrad;

    /// <summary>Row softmax of <paramref name="x"/> into <paramref name="y"/> (same length; may alias).</summary>
    public static void Rows(Device device, ArrayView<float> x, int cols, ArrayView<float> y)
    {
        ViewChecks.SameLength(y, x, nameof(y), nameof(x));
        int rows = ViewChecks.Rows(x, cols, nameof(x));
        if (rows == 0) return;
        device.Kernel(RowsKernel, acc => acc.LoadAutoGroupedStreamKernel(RowsKernel))(rows, x, cols, y);
    }

    /// <summary>
    /// Softmax cross-entropy forward: <paramref name="probs"/> gets the row softmax (keep it for
    /// <see cref="CrossEntropyGrad"/>) and <paramref name="loss"/>[r] the loss of row r. The batch
    /// mean is <c>ReduceOps.Sum(loss) / rows</c>. <paramref name="probs"/> must not alias
    /// <paramref name="logits"/> (the loss reads the label's logit after the row's softmax is written).
    /// </summary>
    public static void CrossEntropy(Device device, ArrayView<float> logits, ArrayView<int> labels, int cols,
        ArrayView<float> probs, ArrayView<float> loss)
    {
        int rows = ViewChecks.Rows(logits, cols, nameof(logits));
        ViewChecks.SameLength(logits, probs, nameof(logits), nameof(probs));
        ViewChecks.Length(labels, rows, nameof(labels));
        ViewChecks.Length(loss, rows, nameof(loss));
        if (rows == 0) return;
        if (device.RunsKernelsOnHost) HostSoftmax.CrossEntropy(logits, labels, cols, probs, loss);
        else
            device.Kernel(CrossEntropyKernel, acc => acc.LoadAutoGroupedStreamKernel(CrossEntropyKernel))(
                rows, logits, labels, cols, probs, loss);
    }

    /// <summary>
    /// Softmax cross-entropy forward and its gradient at once, for a loss that is always
    /// back-propagated: <paramref name="loss"/>[r] the loss of row r and <paramref name="dlogits"/>
    /// <c>scale * (softmax(logits) - onehot(labels))</c>, which on host threads is one sweep of the
    /// logits (<see cref="HostSoftmax.CrossEntropyWithGradient"/>) and on a device the two kernels.
    /// <paramref name="dlogits"/> must not alias <paramref name="logits"/>.
    /// </summary>
    public static void CrossEntropyWithGradient(Device device, ArrayView<float> logits, ArrayView<int> labels, int cols, float scale,
        ArrayView<float> dlogits, ArrayView<float> loss)
    {
        int rows = ViewChecks.Rows(logits, cols, nameof(logits));
        ViewChecks.SameLength(logits, dlogits, nameof(logits), nameof(dlogits));
        ViewChecks.Length(labels, rows, nameof(labels));
        ViewChecks.Length(loss, rows, nameof(loss));
        if (rows == 0) return;
        if (device.RunsKernelsOnHost) HostSoftmax.CrossEntropyWithGradient(logits, labels, cols, scale, dlogits, loss);
        else
        {
            CrossEntropy(device, logits, labels, cols, dlogits, loss);
            CrossEntropyGrad(device, dlogits, labels, cols, dlogits, scale);
        }
    }

    /// <summary>
    /// Gradient of the mean cross-entropy: <c>dlogits = scale * (probs - onehot(labels))</c>, overwriting
    /// <paramref name="dlogits"/> (may alias <paramref name="probs"/>). <paramref name="scale"/> defaults
    /// to 1 / rows, the gradient of the batch mean; pass it explicitly to fold in an upstream factor.
    /// </summary>
    public static void CrossEntropyGrad(Device device, ArrayView<float> probs, ArrayView<int> labels, int cols,
        ArrayView<float> dlogits, float? scale = null)
    {
        int rows = ViewChecks.Rows(probs, cols, nameof(probs));
        ViewChecks.SameLength(probs, dlogits, nameof(probs), nameof(dlogits));
        ViewChecks.Length(labels, rows, nameof(labels));
        if (rows == 0) return;
        if (device.RunsKernelsOnHost) HostSoftmax.CrossEntropyGrad(probs, labels, cols, scale ?? 1f / rows, dlogits);
        else
            device.Kernel(CrossEntropyGradKernel, acc => acc.LoadAutoGroupedStreamKernel(CrossEntropyGradKernel))(
                ViewChecks.Extent(probs, nameof(probs)), probs, labels, cols, scale ?? 1f / rows, dlogits);
    }
}
