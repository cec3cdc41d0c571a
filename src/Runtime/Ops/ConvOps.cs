using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Host;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Ops;

/// <summary>
/// 2-D convolution over NHWC (<see cref="ConvKernels"/>' layout and geometry) as im2col + GEMM, and
/// the one place that chooses where it runs. On a device, <see cref="ConvKernels.Im2Col"/> fills a
/// [OutPixels, PatchSize] column matrix, one GEMM multiplies it by the kernel, the bias kernel adds
/// the bias; the backward pass is two GEMMs and <see cref="ConvKernels.Col2Im"/>. On host threads
/// with the host GEMM, <see cref="HostConv"/> does the same products block by block from the image,
/// with no column matrix for a wide patch (<see cref="ColumnsLength"/>) and the same results bit for bit.
/// </summary>
internal static class ConvOps
{
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, WindowGeometry> Im2ColKernel = ConvKernels.Im2Col;
    private static readonly Action<Index1D, ArrayView<float>, ArrayView<float>, WindowGeometry> Col2ImKernel = ConvKernels.Col2Im;

    // Below this patch width the host path keeps the whole column matrix from the forward pass for
    // the kernel gradient: building a narrow row (conv1's 25 entries, 5 runs of 5 floats) costs more
    // than its GEMM, and the whole matrix is small (conv1: 3.9 MB).
    private const int HostKeptPatch = 64;

    /// <summary>
    /// Floats of the column matrix that <see cref="Forward"/> fills and <see cref="Backward"/> reads
    /// on this device and GEMM engine: <c>g.OutPixels * g.PatchSize</c>, or 0 where the host path
    /// builds its rows block by block and needs none.
    /// </summary>
    public static long ColumnsLength(Device device, IGemmEngine gemm, WindowGeometry g) =>
        OnHost(device, gemm) && g.PatchSize >= HostKeptPatch ? 0 : (long)g.OutPixels * g.PatchSize;

    /// <summary>
    /// Floats of the scratch <see cref="Backward"/> needs: the columns' gradient on a device; on host
    /// threads none, or for a kept column matrix the kernel gradient's per-slice sums.
    /// </summary>
    public static long ColumnGradLength(Device device, IGemmEngine gemm, WindowGeometry g, int filters)
    {
        if (!OnHost(device, gemm)) return (long)g.OutPixels * g.PatchSize;
        return ColumnsLength(device, gemm, g) == 0 ? 0 : HostConv.SliceSumsLength((HostGemmEngine)gemm, g, filters);
    }

    private static bool OnHost(Device device, IGemmEngine gemm) => device.RunsKernelsOnHost && gemm is HostGemmEngine;

    /// <summary>
    /// Whether <see cref="Forward"/> can max-pool its output as it goes (on host threads, windows of
    /// <paramref name="pool"/> tiling the output; see <see cref="HostConv.PoolBandRows"/>).
    /// </summary>
    public static bool CanPool(Device device, IGemmEngine gemm, WindowGeometry g, WindowGeometry pool) =>
        OnHost(device, gemm) && HostConv.PoolBandRows((HostGemmEngine)gemm, g, pool, ColumnsLength(device, gemm, g) > 0) > 0;

    /// <summary>
    /// <c>output[pixels, filters] = im2col(input) · kernel + bias</c>, kernel [KH*KW*C, filters] as
    /// TensorFlow stores it, and with <paramref name="relu"/> then max(output, 0) as
    /// <see cref="ActivationOps.Relu"/> computes it (on host threads while each block is still in
    /// cache). <paramref name="columns"/> (<see cref="ColumnsLength"/> floats) receives im2col(input);
    /// keep it for <see cref="Backward"/>. When <paramref name="pooled"/> is not empty (only where
    /// <see cref="CanPool"/>), the result is max-pooled with windows of <paramref name="pool"/> into
    /// <paramref name="pooled"/> and <paramref name="argmax"/> as <see cref="PoolOps.MaxForward"/>
    /// computes them, block by block, and <paramref name="output"/> is not written at all.
    /// </summary>
    public static void Forward(Device device, IGemmEngine gemm, ArrayView<float> input, ArrayView<float> kernel,
        ArrayView<float> bias, ArrayView<float> output, WindowGeometry g, ArrayView<float> columns, bool relu = false,
        ArrayView<float> pooled = default, ArrayView<int> argmax = default, WindowGeometry pool = default)
    {
        if (pooled.Length != 0)
        {
            if (!CanPool(device, gemm, g, pool)) throw new ArgumentException($"this convolution cannot max-pool as it goes with windows of {pool}", nameof(pool));
            ViewChecks.Length(pooled, (long)pool.OutPixels * pool.Channels, nameof(pooled));
            ViewChecks.SameLength(pooled, argmax, nameof(pooled), nameof(argmax));
        }
        int filters = Check(device, gemm, input, kernel, bias, output, nameof(output), g, columns);
        if (g.OutPixels == 0) return;
        if (gemm is HostGemmEngine host && device.RunsKernelsOnHost)
        {
            device.Synchronize();
            HostConv.Forward(host, input, kernel, bias, output, g, columns, relu, pooled, argmax, pool);
            return;
        }
        device.Kernel(Im2ColKernel, a => a.LoadAutoGroupedStreamKernel(Im2ColKernel))(g.OutPixels * g.WindowHeight, input, columns, g);
        gemm.Gemm(false, false, g.OutPixels, filters, g.PatchSize, 1f, columns, g.PatchSize, kernel, filters, 0f, output, filters);
        BiasOps.Add(device, output, bias, output);
        if (relu) ActivationOps.Relu(device, output, output);
    }

    /// <summary>
    /// The gradients of <see cref="Forward"/>: <paramref name="kernelGrad"/> += im2col(input)ᵀ · dY and
    /// <paramref name="biasGrad"/> += column sums of dY (parameter gradients accumulate); when
    /// <paramref name="inputGrad"/> is not empty it is overwritten with col2im(dY · kernelᵀ).
    /// <paramref name="columns"/> is what <see cref="Forward"/> left there; <paramref name="columnGrad"/>
    /// is scratch of <see cref="ColumnGradLength"/> floats.
    /// </summary>
    public static void Backward(Device device, IGemmEngine gemm, ArrayView<float> input, ArrayView<float> outputGrad,
        ArrayView<float> kernel, ArrayView<float> kernelGrad, ArrayView<float> biasGrad, ArrayView<float> inputGrad,
        WindowGeometry g, ArrayView<float> columns, ArrayView<float> columnGrad)
    {
        int filters = Check(device, gemm, input, kernel, biasGrad, outputGrad, nameof(outputGrad), g, columns);
        ViewChecks.SameLength(kernel, kernelGrad, nameof(kernel), nameof(kernelGrad));
        if (inputGrad.Length != 0) ViewChecks.SameLength(input, inputGrad, nameof(input), nameof(inputGrad));
        if (g.OutPixels == 0) return;
        if (gemm is HostGemmEngine host && device.RunsKernelsOnHost)
        {
            device.Synchronize();
            if (columns.Length == 0) HostConv.KernelGrad(host, input, outputGrad, kernelGrad, g);
            else
            {
                ViewChecks.Length(columnGrad, ColumnGradLength(device, gemm, g, filters), nameof(columnGrad));
                HostConv.KernelGradFromColumns(host, columns, outputGrad, kernelGrad, g, columnGrad);
            }
            BiasOps.Grad(device, outputGrad, biasGrad);
            if (inputGrad.Length != 0) HostConv.InputGrad(host, outputGrad, kernel, inputGrad, g);
            return;
        }
        gemm.Gemm(true, false, g.PatchSize, filters, g.OutPixels, 1f, columns, g.PatchSize, outputGrad, filters, 1f, kernelGrad, filters);
        BiasOps.Grad(device, outputGrad, biasGrad);
        if (inputGrad.Length == 0) return;
        ViewChecks.Length(columnGrad, ColumnGradLength(device, gemm, g, filters), nameof(columnGrad));
        gemm.Gemm(false, true, g.OutPixels, g.PatchSize, filters, 1f, outputGrad, filters, kernel, filters, 0f, columnGrad, g.PatchSize);
        device.Kernel(Col2ImKernel, a => a.LoadAutoGroupedStreamKernel(Col2ImKernel))(g.InPixels, columnGrad, inputGrad, g);
    }

    /// <summary>
    /// The parameter gradients of a convolution with kept columns (<see cref="ColumnsLength"/> &gt; 0)
    /// that max-pooled as it went (<see cref="Forward"/> with pooled, through a ReLU), with no input
    /// gradient: <paramref name="kernelGrad"/> and <paramref name="biasGrad"/> accumulate what
    /// <see cref="PoolOps.MaxBackwardThroughRelu"/> and then <see cref="Backward"/> would add, from the
    /// pool's output gradient, argmax and output, without the gradient of this layer's output ever
    /// being stored (host threads only, as pooling there is).
    /// </summary>
    public static void GradientsThroughPool(Device device, IGemmEngine gemm, ArrayView<float> pooledGrad, ArrayView<int> argmax,
        ArrayView<float> pooled, WindowGeometry pool, ArrayView<float> kernelGrad, ArrayView<float> biasGrad, WindowGeometry g,
        ArrayView<float> columns, ArrayView<float> columnGrad)
    {
        int filters = checked((int)biasGrad.Length);
        if (!CanPool(device, gemm, g, pool) || columns.Length == 0)
            throw new ArgumentException($"this convolution did not max-pool with windows of {pool} from kept columns", nameof(pool));
        ViewChecks.Length(kernelGrad, (long)g.PatchSize * filters, nameof(kernelGrad));
        ViewChecks.Length(columns, ColumnsLength(device, gemm, g), nameof(columns));
        ViewChecks.Length(columnGrad, ColumnGradLength(device, gemm, g, filters), nameof(columnGrad));
        ViewChecks.Length(pooled, (long)pool.OutPixels * filters, nameof(pooled));
        ViewChecks.SameLength(pooled, pooledGrad, nameof(pooled), nameof(pooledGrad));
        ViewChecks.SameLength(pooled, argmax, nameof(pooled), nameof(argmax));
        if (g.OutPixels == 0) return;
        device.Synchronize();
        HostConv.GradientsThroughPool((HostGemmEngine)gemm, columns, pooledGrad, argmax, pooled, pool, kernelGrad, biasGrad, g, columnGrad);
    }

    /// <summary>Checks the shapes against the geometry and returns the filter count.</summary>
    private static int Check(Device device, IGemmEngine gemm, ArrayView<float> input, ArrayView<float> kernel,
        ArrayView<float> bias, ArrayView<float> output, string outputName, WindowGeometry g, ArrayView<float> columns)
    {
        int filters = checked((int)bias.Length);
        ViewChecks.Positive(filters, "filters");
        ViewChecks.Length(input, (long)g.InPixels * g.Channels, nameof(input));
        ViewChecks.Length(kernel, (long)g.PatchSize * filters, nameof(kernel));
        ViewChecks.Length(output, (long)g.OutPixels * filters, outputName);
        ViewChecks.Length(columns, ColumnsLength(device, gemm, g), nameof(columns));
        return filters;
    }
}
