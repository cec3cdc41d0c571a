using System.Numerics.Tensors;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// im2col and col2im on the host, producing exactly what <see cref="ConvKernels"/> produces. In NHWC
/// the pixels of one window row are contiguous in the input and in the im2col row, so a window row
/// is one block copy with zeros where it hangs over the padding; col2im adds whole channel runs
/// with SIMD in the kernel's (ky, kx) order, so its sums match the kernel's bit for bit.
/// </summary>
internal static unsafe class HostConv
{
    public static void Im2Col(ArrayView<float> input, ArrayView<float> col, WindowGeometry g)
    {
        nint pin = (nint)HostMemory.Pointer(input), pcol = (nint)HostMemory.Pointer(col);
        HostParallel.For(g.OutPixels, (lo, hi) =>
        {
            for (int pixel = lo; pixel < hi; pixel++) Im2ColPixel((float*)pin, (float*)pcol, g, pixel);
        });
    }

    public static void Col2Im(ArrayView<float> colGrad, ArrayView<float> inputGrad, WindowGeometry g)
    {
        nint pcol = (nint)HostMemory.Pointer(colGrad), pdx = (nint)HostMemory.Pointer(inputGrad);
        HostParallel.For(g.InPixels, (lo, hi) =>
        {
            for (int pixel = lo; pixel < hi; pixel++) Col2ImPixel((float*)pcol, (float*)pdx, g, pixel);
        });
    }

    private static void Im2ColPixel(float* input, float* col, WindowGeometry g, int pixel)
    {
        int ox = pixel % g.OutWidth, oy = pixel / g.OutWidth % g.OutHeight, n = pixel / (g.OutWidth * g.OutHeight);
        int c = g.Channels, rowLength = g.WindowWidth * c;
        int x0 = ox * g.StrideX - g.PadLeft;
        int kxStart = Math.Max(0, -x0), kxEnd = Math.Min(g.WindowWidth, g.InWidth - x0);
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            var row = new Span<float>(col + (long)pixel * g.PatchSize + (long)ky * rowLength, rowLength);
            int iy = oy * g.StrideY - g.PadTop + ky;
            if (iy < 0 || iy >= g.InHeight || kxStart >= kxEnd)
            {
                row.Clear();
                continue;
            }
            row[..(kxStart * c)].Clear();
            row[(kxEnd * c)..].Clear();
            long src = (((long)n * g.InHeight + iy) * g.InWidth + x0 + kxStart) * c;
            new ReadOnlySpan<float>(input + src, (kxEnd - kxStart) * c).CopyTo(row[(kxStart * c)..]);
        }
    }

    private static void Col2ImPixel(float* colGrad, float* inputGrad, WindowGeometry g, int pixel)
    {
        int ix = pixel % g.InWidth, iy = pixel / g.InWidth % g.InHeight, n = pixel / (g.InWidth * g.InHeight);
        var dst = new Span<float>(inputGrad + (long)pixel * g.Channels, g.Channels);
        dst.Clear();
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            if (!g.TryOutputRow(iy, ky, out int oy)) continue;
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                if (!g.TryOutputColumn(ix, kx, out int ox)) continue;
                long row = ((long)n * g.OutHeight + oy) * g.OutWidth + ox;
                long src = row * g.PatchSize + ((long)ky * g.WindowWidth + kx) * g.Channels;
                TensorPrimitives.Add(dst, new ReadOnlySpan<float>(colGrad + src, g.Channels), dst);
            }
        }
    }
}
