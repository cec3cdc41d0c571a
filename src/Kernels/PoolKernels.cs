using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Max pooling over NHWC with TensorFlow's padding semantics: positions in the padding never win
/// (they are skipped, not treated as zeros). The forward pass records, for every output element, the
/// flat input index that won; the backward pass routes each gradient to that index. The backward
/// pass gathers per input pixel (no atomics, deterministic even with overlapping windows) and
/// overwrites dX. Threads own a pixel and loop over channels, which suits both the CPU accelerator
/// (few, long threads) and GPUs (contiguous channel reads).
/// </summary>
public static class PoolKernels
{
    /// <summary>
    /// One thread per output pixel: Y[p, c] = max over the window, <paramref name="argmax"/>[p, c] = the
    /// flat NHWC input index of that maximum (first one on ties). Launch with <c>g.OutPixels</c> threads.
    /// </summary>
    public static void MaxForward(Index1D index, ArrayView<float> input, ArrayView<float> output,
        ArrayView<int> argmax, WindowGeometry g)
    {
        int ox = index % g.OutWidth;
        int oy = index / g.OutWidth % g.OutHeight;
        int n = index / (g.OutWidth * g.OutHeight);
        int y0 = oy * g.StrideY - g.PadTop, x0 = ox * g.StrideX - g.PadLeft;
        int yStart = y0 < 0 ? 0 : y0, xStart = x0 < 0 ? 0 : x0;
        int yEnd = y0 + g.WindowHeight > g.InHeight ? g.InHeight : y0 + g.WindowHeight;
        int xEnd = x0 + g.WindowWidth > g.InWidth ? g.InWidth : x0 + g.WindowWidth;
        long dst = (long)index.X * g.Channels;
        for (int c = 0; c < g.Channels; c++)
        {
            int best = ((n * g.InHeight + yStart) * g.InWidth + xStart) * g.Channels + c;
            float bestValue = input[best];
            for (int iy = yStart; iy < yEnd; iy++)
            {
                for (int ix = xStart; ix < xEnd; ix++)
                {
                    int at = ((n * g.InHeight + iy) * g.InWidth + ix) * g.Channels + c;
                    float v = input[at];
                    if (v > bestValue)
                    {
                        bestValue = v;
                        best = at;
                    }
                }
            }
            output[dst + c] = bestValue;
            argmax[dst + c] = best;
        }
    }

    /// <summary>
    /// One thread per input pixel: dX[i] = the sum of dY over the output elements whose argmax is i.
    /// Overwrites <paramref name="inputGrad"/>. Launch with <c>g.InPixels</c> threads.
    /// </summary>
    public static void MaxBackward(Index1D index, ArrayView<float> outputGrad, ArrayView<int> argmax,
        ArrayView<float> inputGrad, WindowGeometry g)
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
                long src = (((long)n * g.OutHeight + oy) * g.OutWidth + ox) * g.Channels;
                for (int c = 0; c < g.Channels; c++)
                    if (argmax[src + c] == dst + c) inputGrad[dst + c] += outputGrad[src + c];
            }
        }
    }
}
