using System.Numerics;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Max pooling on the host, several channels at a time, with <see cref="PoolKernels"/>' exact rules:
/// the window starts at its first in-bounds position, a later value wins only when strictly greater
/// (first maximum on ties), and the backward pass gathers per input pixel in (ky, kx) order.
/// </summary>
internal static unsafe class HostPool
{
    public static void MaxForward(ArrayView<float> input, ArrayView<float> output, ArrayView<int> argmax, WindowGeometry g)
    {
        nint pin = (nint)HostMemory.Pointer(input), pout = (nint)HostMemory.Pointer(output), parg = (nint)HostMemory.Pointer(argmax);
        HostParallel.For(g.OutPixels, (lo, hi) =>
        {
            for (int pixel = lo; pixel < hi; pixel++) ForwardPixel((float*)pin, (float*)pout, (int*)parg, g, pixel);
        });
    }

    /// <summary>
    /// The outputs of rows first .. first+count of windows (clipped to the output) of image
    /// <paramref name="image"/>, reading only the input rows under them: <see cref="HostConv"/> pools
    /// a band of its output while the band is in cache, through a pointer that stands for the whole input.
    /// </summary>
    public static void ForwardRows(float* input, float* output, int* argmax, in WindowGeometry g, int image, int first, int count)
    {
        int end = Math.Min(first + count, g.OutHeight);
        for (int row = first; row < end; row++)
        {
            int pixel = (image * g.OutHeight + row) * g.OutWidth;
            for (int x = 0; x < g.OutWidth; x++) ForwardPixel(input, output, argmax, g, pixel + x);
        }
    }

    /// <summary>
    /// The input gradient; when <paramref name="reluMaxima"/> (the forward output, over a ReLU's
    /// output) is not empty, on through that ReLU: a window's gradient reaches its argmax only where
    /// its maximum is positive, which is where the ReLU's input there was positive.
    /// </summary>
    public static void MaxBackward(ArrayView<float> outputGrad, ArrayView<int> argmax, ArrayView<float> inputGrad, WindowGeometry g,
        ArrayView<float> reluMaxima)
    {
        nint pdy = (nint)HostMemory.Pointer(outputGrad), parg = (nint)HostMemory.Pointer(argmax), pdx = (nint)HostMemory.Pointer(inputGrad);
        nint pmax = (nint)HostMemory.Pointer(reluMaxima);
        if (WindowsTile(g))
        {
            HostParallel.For(g.OutPixels, (lo, hi) =>
            {
                var at = new PixelCursor(lo, g.OutHeight, g.OutWidth);
                for (int pixel = lo; pixel < hi; pixel++, at.Advance())
                    BackwardWindow((float*)pdy, (int*)parg, (float*)pmax, (float*)pdx, g, pixel, at);
            });
            return;
        }
        HostParallel.For(g.InPixels, (lo, hi) =>
        {
            for (int pixel = lo; pixel < hi; pixel++) BackwardPixel((float*)pdy, (int*)parg, (float*)pmax, (float*)pdx, g, pixel);
        });
    }

    /// <summary>
    /// Rows first .. first+count of the input gradient, [pixel, channel], into <paramref name="dst"/>:
    /// what <see cref="MaxBackward"/> writes there for windows that tile the input from its top-left
    /// corner (stride = window, no padding before), through the ReLU when <paramref name="reluMaxima"/>
    /// is not null. A convolution's kernel gradient makes its dy this way a block at a time
    /// (<see cref="HostConv.GradientsThroughPool"/>).
    /// </summary>
    public static void GradientRows(float* outputGrad, int* argmax, float* reluMaxima, in WindowGeometry g, int first, int count, float* dst)
    {
        int channels = g.Channels, w = Vector<float>.Count;
        var at = new PixelCursor(first, g.InHeight, g.InWidth);
        for (int r = 0; r < count; r++, at.Advance(), dst += channels)
        {
            long src = ((long)(at.N * g.OutHeight + at.Y / g.StrideY) * g.OutWidth + at.X / g.StrideX) * channels;
            int index = (first + r) * channels, c = 0;
            for (; c + w <= channels; c += w)
            {
                var mine = Vector.Equals(Vector.Load(argmax + src + c), Vector.Add(new Vector<int>(index + c), ChannelOffsets()))
                    & Passing(reluMaxima, src + c);
                var sum = Vector<float>.Zero + Vector.Load(outputGrad + src + c);
                Vector.ConditionalSelect(mine, sum, Vector<float>.Zero).Store(dst + c);
            }
            for (; c < channels; c++)
                dst[c] = argmax[src + c] == index + c && (reluMaxima == null || reluMaxima[src + c] > 0f) ? 0f + outputGrad[src + c] : 0f;
        }
    }

    /// <summary>Lanes whose window passes its gradient: all, or with <paramref name="maxima"/> those whose maximum is positive.</summary>
    private static Vector<int> Passing(float* maxima, long at) =>
        maxima == null ? Vector<int>.AllBitsSet : Vector.GreaterThan(Vector.Load(maxima + at), Vector<float>.Zero);

    /// <summary>
    /// Whether every input pixel lies in exactly one window (stride = window, and the windows reach
    /// past the input's far edges, as SAME's do): then each window can write its own pixels' gradients.
    /// </summary>
    private static bool WindowsTile(in WindowGeometry g) =>
        g.StrideY == g.WindowHeight && g.StrideX == g.WindowWidth &&
        g.OutHeight * g.StrideY - g.PadTop >= g.InHeight && g.OutWidth * g.StrideX - g.PadLeft >= g.InWidth;

    private static void ForwardPixel(float* input, float* output, int* argmax, WindowGeometry g, int pixel)
    {
        int ox = pixel % g.OutWidth, oy = pixel / g.OutWidth % g.OutHeight, n = pixel / (g.OutWidth * g.OutHeight);
        int y0 = oy * g.StrideY - g.PadTop, x0 = ox * g.StrideX - g.PadLeft;
        int yStart = Math.Max(y0, 0), xStart = Math.Max(x0, 0);
        int yEnd = Math.Min(y0 + g.WindowHeight, g.InHeight), xEnd = Math.Min(x0 + g.WindowWidth, g.InWidth);
        int channels = g.Channels, w = Vector<float>.Count;
        long dst = (long)pixel * channels;
        int first = ((n * g.InHeight + yStart) * g.InWidth + xStart) * channels;
        int c = 0;
        for (; c + w <= channels; c += w)
        {
            var best = Vector.Load(input + first + c);
            var at = Vector.Add(new Vector<int>(first + c), ChannelOffsets());
            for (int iy = yStart; iy < yEnd; iy++)
            {
                for (int ix = xStart; ix < xEnd; ix++)
                {
                    int index = ((n * g.InHeight + iy) * g.InWidth + ix) * channels + c;
                    var v = Vector.Load(input + index);
                    var greater = Vector.GreaterThan(v, best);
                    best = Vector.ConditionalSelect(greater, v, best);
                    at = Vector.ConditionalSelect(greater, Vector.Add(new Vector<int>(index), ChannelOffsets()), at);
                }
            }
            best.Store(output + dst + c);
            at.Store(argmax + dst + c);
        }
        for (; c < channels; c++)
        {
            int best = first + c;
            float bestValue = input[best];
            for (int iy = yStart; iy < yEnd; iy++)
            {
                for (int ix = xStart; ix < xEnd; ix++)
                {
                    int index = ((n * g.InHeight + iy) * g.InWidth + ix) * channels + c;
                    if (input[index] > bestValue) (bestValue, best) = (input[index], index);
                }
            }
            output[dst + c] = bestValue;
            argmax[dst + c] = best;
        }
    }

    private static void BackwardPixel(float* outputGrad, int* argmax, float* maxima, float* inputGrad, WindowGeometry g, int pixel)
    {
        int ix = pixel % g.InWidth, iy = pixel / g.InWidth % g.InHeight, n = pixel / (g.InWidth * g.InHeight);
        int channels = g.Channels, w = Vector<float>.Count;
        long dst = (long)pixel * channels;
        new Span<float>(inputGrad + dst, channels).Clear();
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            if (!g.TryOutputRow(iy, ky, out int oy)) continue;
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                if (!g.TryOutputColumn(ix, kx, out int ox)) continue;
                long src = (((long)n * g.OutHeight + oy) * g.OutWidth + ox) * channels;
                int c = 0;
                for (; c + w <= channels; c += w)
                {
                    var mine = Vector.Equals(Vector.Load(argmax + src + c), Vector.Add(new Vector<int>((int)(dst + c)), ChannelOffsets()))
                        & Passing(maxima, src + c);
                    var sum = Vector.Load(inputGrad + dst + c);
                    Vector.ConditionalSelect(mine, sum + Vector.Load(outputGrad + src + c), sum).Store(inputGrad + dst + c);
                }
                for (; c < channels; c++)
                    if (argmax[src + c] == dst + c && (maxima == null || maxima[src + c] > 0f)) inputGrad[dst + c] += outputGrad[src + c];
            }
        }
    }

    /// <summary>
    /// The gradient of the pixels of output <paramref name="pixel"/>'s window where windows tile the
    /// input: dY where the window's maximum was, 0 elsewhere. The sum the gather would make, 0 + dY,
    /// is kept as such (it turns -0 into +0), so the two paths agree bit for bit.
    /// </summary>
    private static void BackwardWindow(float* outputGrad, int* argmax, float* maxima, float* inputGrad, WindowGeometry g, int pixel, PixelCursor at)
    {
        int y0 = at.Y * g.StrideY - g.PadTop, x0 = at.X * g.StrideX - g.PadLeft;
        int yStart = Math.Max(y0, 0), xStart = Math.Max(x0, 0);
        int yEnd = Math.Min(y0 + g.WindowHeight, g.InHeight), xEnd = Math.Min(x0 + g.WindowWidth, g.InWidth);
        int channels = g.Channels, w = Vector<float>.Count;
        long src = (long)pixel * channels;
        for (int iy = yStart; iy < yEnd; iy++)
        {
            for (int ix = xStart; ix < xEnd; ix++)
            {
                int dst = ((at.N * g.InHeight + iy) * g.InWidth + ix) * channels;
                int c = 0;
                for (; c + w <= channels; c += w)
                {
                    var mine = Vector.Equals(Vector.Load(argmax + src + c), Vector.Add(new Vector<int>(dst + c), ChannelOffsets()))
                        & Passing(maxima, src + c);
                    var sum = Vector<float>.Zero + Vector.Load(outputGrad + src + c);
                    Vector.ConditionalSelect(mine, sum, Vector<float>.Zero).Store(inputGrad + dst + c);
                }
                for (; c < channels; c++)
                    inputGrad[dst + c] = argmax[src + c] == dst + c && (maxima == null || maxima[src + c] > 0f) ? 0f + outputGrad[src + c] : 0f;
            }
        }
    }

    /// <summary>0, 1, 2, ... one lane each.</summary>
    private static Vector<int> ChannelOffsets() => Vector<int>.Indices;

    /// <summary>(n, y, x) of a pixel of an [N, H, W] grid, stepped one pixel at a time with no division.</summary>
    private struct PixelCursor(int pixel, int height, int width)
    {
        public int X = pixel % width, Y = pixel / width % height, N = pixel / (width * height);

        public void Advance()
        {
            if (++X < width) return;
            X = 0;
            if (++Y < height) return;
            Y = 0;
            N++;
        }
    }
}
