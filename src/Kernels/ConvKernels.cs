using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Convolution as im2col + GEMM, NHWC like TensorFlow.
/// <para>
/// Forward: <see cref="Im2Col"/> unrolls every output pixel's receptive field into one row of a
/// [N*OH*OW, KH*KW*C] matrix whose column order (ky, kx, c) matches a TensorFlow kernel
/// [KH, KW, C, OUT] read as a [KH*KW*C, OUT] matrix, so the convolution is one GEMM with the kernel
/// as it is stored. Backward: the kernel gradient is colᵀ·dY and the input gradient is dY·Wᵀ folded
/// back by <see cref="Col2Im"/>.
/// </para>
/// <para>
/// Col2Im gathers instead of scattering: each thread owns one input pixel and sums every patch entry
/// that read it, in a fixed order. No atomics, so the result is deterministic and overwrites dX
/// (activation gradients are overwritten, llm.c convention). A thread handles a whole row of
/// channels (or a whole input pixel) rather than one float: on the CPU accelerator the per-thread
/// cost dominates, and on a GPU the inner loop still reads contiguous channels.
/// </para>
/// </summary>
public static class ConvKernels
{
    /// <summary>
    /// One thread per (output pixel, window row ky): writes the KW*C entries of that window row of
    /// the im2col matrix <paramref name="col"/>, zeros where the window hangs over the padding.
    /// Launch with <c>g.OutPixels * g.WindowHeight</c> threads.
    /// </summary>
    public static void Im2Col(Index1D index, ArrayView<float> input, ArrayView<float> col, WindowGeometry g)
    {
        int ky = index % g.WindowHeight;
        int pixel = index / g.WindowHeight;
        int ox = pixel % g.OutWidth;
        int oy = pixel / g.OutWidth % g.OutHeight;
        int n = pixel / (g.OutWidth * g.OutHeight);
        int iy = oy * g.StrideY - g.PadTop + ky;
        int rowLength = g.WindowWidth * g.Channels;
        long dst = (long)pixel * g.PatchSize + (long)ky * rowLength;
        if (iy < 0 || iy >= g.InHeight)
        {
            for (int i = 0; i < rowLength; i++) col[dst + i] = 0f;
            return;
        }
        for (int kx = 0; kx < g.WindowWidth; kx++)
        {
            int ix = ox * g.StrideX - g.PadLeft + kx;
            long d = dst + (long)kx * g.Channels;
            if (ix < 0 || ix >= g.InWidth)
            {
                for (int c = 0; c < g.Channels; c++) col[d + c] = 0f;
                continue;
            }
            long src = (((long)n * g.InHeight + iy) * g.InWidth + ix) * g.Channels;
            for (int c = 0; c < g.Channels; c++) col[d + c] = input[src + c];
        }
    }

    /// <summary>
    /// One thread per input pixel: dX[pixel, c] = the sum of every im2col entry that copied it.
    /// Overwrites <paramref name="inputGrad"/>. Launch with <c>g.InPixels</c> threads.
    /// </summary>
    public static void Col2Im(Index1D index, ArrayView<float> colGrad, ArrayView<float> inputGrad, WindowGeometry g)
    {
        int ix = index % g.InWidth;
        int iy = index / g.InWidth % g.InHeight;
        int n = index / (g.InWidth * g.InHeight);
        long dst = (long)index.X * g.Channels;
        for (int c = 0; c < g.Channels; c++) inputGrad[dst + c] = 0f;
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            if (!g.TryOutputRow(iy, ky, out int oy)) continue;
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                if (!g.TryOutputColumn(ix, kx, out int ox)) continue;
                long row = ((long)n * g.OutHeight + oy) * g.OutWidth + ox;
                long src = row * g.PatchSize + ((long)ky * g.WindowWidth + kx) * g.Channels;
                for (int c = 0; c < g.Channels; c++) inputGrad[dst + c] += colGrad[src + c];
            }
        }
    }
}
