using System.Numerics.Tensors;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Gemm;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Convolution on the host as im2col + GEMM without the im2col matrix: the rows of col are built a
/// block at a time into a worker's cache-sized buffer and multiplied there by the host GEMM's driver,
/// with the kernel packed once per call for all blocks. For the Deep MNIST conv2 the whole col is
/// 9,800 x 800 floats (31 MB, and as much again for its gradient), written and read back through
/// memory on every pass; a block of 256 rows stays in L2.
/// <para>
/// Every product is cut where the whole GEMM would cut it (blocks of rows of C, and for the kernel
/// gradient blocks of K that are whole Kc slices), so each element sees the same FMAs in the same
/// order and the results equal im2col + GEMM + <see cref="ConvKernels.Col2Im"/> bit for bit; the bias
/// is added to each finished block with the same single addition as the bias kernel. col2im
/// gathers per input pixel in <see cref="ConvKernels"/>' (ky, kx) order, one block of whole images at
/// a time, since an input pixel's windows all lie in its own image.
/// </para>
/// </summary>
internal static unsafe class HostConv
{
    /// <summary>Rows of col per block: one Kc slice (256 for both micro-kernels), 800 KB for conv2's 800-wide patches.</summary>
    private static int BlockRows(HostGemmEngine gemm) => gemm.Kernel.Kc;

    /// <summary>
    /// y[pixels, filters] = col(x) · kernel + bias, building col's rows in <paramref name="columns"/> when
    /// it is not empty (the whole matrix, kept for the kernel gradient) and in a worker's buffer otherwise.
    /// </summary>
    public static void Forward(HostGemmEngine gemm, ArrayView<float> input, ArrayView<float> kernel, ArrayView<float> bias,
        ArrayView<float> output, WindowGeometry g, ArrayView<float> columns)
    {
        float* px = HostMemory.Pointer(input), pw = HostMemory.Pointer(kernel), pb = HostMemory.Pointer(bias), py = HostMemory.Pointer(output);
        float* kept = HostMemory.Pointer(columns);
        int filters = (int)bias.Length, patch = g.PatchSize, rows = BlockRows(gemm);
        float* packed = gemm.PackWholeB(false, pw, filters, patch, filters);
        int blocks = (g.OutPixels + rows - 1) / rows;
        gemm.ForBlocks(blocks, 2L * g.OutPixels * patch * filters, (block, ws) =>
        {
            int start = block * rows, count = Math.Min(rows, g.OutPixels - start);
            float* col = kept != null ? kept + (long)start * patch : ws.Block((long)count * patch);
            for (int r = 0; r < count; r++) Im2ColSegment(px, g, start + r, 0, patch, col + (long)r * patch);
            float* y = py + (long)start * filters;
            var call = new HostGemmCall(false, false, patch, 1f, col, patch, pw, filters, 0f, y, filters);
            HostGemmDriver.Run(call, 0, count, 0, filters, gemm.Kernel, ws, packed);
            var b = new ReadOnlySpan<float>(pb, filters);
            for (int r = 0; r < count; r++)
            {
                var row = new Span<float>(y + (long)r * filters, filters);
                TensorPrimitives.Add(row, b, row);
            }
        });
    }

    /// <summary>kernelGrad[patch, filters] += col(x)ᵀ · dy.</summary>
    public static void KernelGrad(HostGemmEngine gemm, ArrayView<float> input, ArrayView<float> outputGrad,
        ArrayView<float> kernelGrad, WindowGeometry g)
    {
        float* px = HostMemory.Pointer(input), pdy = HostMemory.Pointer(outputGrad), pdw = HostMemory.Pointer(kernelGrad);
        int patch = g.PatchSize, filters = (int)(kernelGrad.Length / patch), rows = BlockRows(gemm), mr = gemm.Kernel.Mr;
        // Each part owns a band of kernel rows (patch entries) and walks all pixels, so parts never
        // write the same element and each element's K sum runs in the whole GEMM's order.
        int strips = (patch + mr - 1) / mr;
        int parts = Math.Min(strips, HostParallel.Cores);
        int bandStrips = (strips + parts - 1) / parts;
        parts = (strips + bandStrips - 1) / bandStrips;
        gemm.ForBlocks(parts, 2L * g.OutPixels * patch * filters, (part, ws) =>
        {
            int k0 = part * bandStrips * mr, width = Math.Min(bandStrips * mr, patch - k0);
            float* col = ws.Block((long)rows * width);
            for (int start = 0; start < g.OutPixels; start += rows)
            {
                int count = Math.Min(rows, g.OutPixels - start);
                for (int r = 0; r < count; r++) Im2ColSegment(px, g, start + r, k0, k0 + width, col + (long)r * width);
                var call = new HostGemmCall(true, false, count, 1f, col, width, pdy + (long)start * filters, filters, 1f,
                    pdw + (long)k0 * filters, filters);
                HostGemmDriver.Run(call, 0, width, 0, filters, gemm.Kernel, ws);
            }
        });
    }

    /// <summary>inputGrad = col2im(dy · kernelᵀ), overwriting inputGrad.</summary>
    public static void InputGrad(HostGemmEngine gemm, ArrayView<float> outputGrad, ArrayView<float> kernel,
        ArrayView<float> inputGrad, WindowGeometry g)
    {
        float* pdy = HostMemory.Pointer(outputGrad), pw = HostMemory.Pointer(kernel), pdx = HostMemory.Pointer(inputGrad);
        int patch = g.PatchSize, filters = (int)(kernel.Length / patch);
        int imagePixels = g.OutHeight * g.OutWidth, inImagePixels = g.InHeight * g.InWidth;
        int images = Math.Max(1, BlockRows(gemm) / Math.Max(1, imagePixels));
        float* packed = gemm.PackWholeB(true, pw, filters, filters, patch);
        int blocks = (g.Batch + images - 1) / images;
        gemm.ForBlocks(blocks, 2L * g.OutPixels * patch * filters, (block, ws) =>
        {
            int first = block * images, count = Math.Min(images, g.Batch - first);
            int firstRow = first * imagePixels, rows = count * imagePixels;
            float* colGrad = ws.Block((long)rows * patch);
            var call = new HostGemmCall(false, true, filters, 1f, pdy + (long)firstRow * filters, filters, pw, filters, 0f, colGrad, patch);
            HostGemmDriver.Run(call, 0, rows, 0, patch, gemm.Kernel, ws, packed);
            for (int pixel = first * inImagePixels, end = (first + count) * inImagePixels; pixel < end; pixel++)
                Col2ImPixel(colGrad, firstRow, pdx, g, pixel);
        });
    }

    /// <summary>Entries k0 .. k1 of output pixel <paramref name="pixel"/>'s im2col row, zeros where the window hangs over the padding.</summary>
    private static void Im2ColSegment(float* input, WindowGeometry g, int pixel, int k0, int k1, float* dst)
    {
        int ox = pixel % g.OutWidth, oy = pixel / g.OutWidth % g.OutHeight, n = pixel / (g.OutWidth * g.OutHeight);
        int c = g.Channels, rowLength = g.WindowWidth * c;
        int x0 = ox * g.StrideX - g.PadLeft;
        // The part of every window row that lies inside the image, as offsets into the row.
        int dataLo = Math.Max(0, -x0) * c, dataHi = Math.Min(g.WindowWidth, g.InWidth - x0) * c;
        for (int ky = k0 / rowLength; ky * rowLength < k1; ky++)
        {
            int rowStart = ky * rowLength;
            int lo = Math.Max(k0, rowStart) - rowStart, hi = Math.Min(k1, rowStart + rowLength) - rowStart;
            float* d = dst + (rowStart - k0);
            int iy = oy * g.StrideY - g.PadTop + ky;
            if (iy < 0 || iy >= g.InHeight || dataLo >= dataHi)
            {
                new Span<float>(d + lo, hi - lo).Clear();
                continue;
            }
            int a = Math.Min(hi, Math.Max(lo, dataLo)), b = Math.Max(a, Math.Min(hi, dataHi));
            new Span<float>(d + lo, a - lo).Clear();
            long src = (((long)n * g.InHeight + iy) * g.InWidth + x0) * c;
            new ReadOnlySpan<float>(input + src + a, b - a).CopyTo(new Span<float>(d + a, b - a));
            new Span<float>(d + b, hi - b).Clear();
        }
    }

    /// <summary>dX of one input pixel from a block of col's gradient whose first row is output pixel <paramref name="firstRow"/>.</summary>
    private static void Col2ImPixel(float* colGrad, int firstRow, float* inputGrad, WindowGeometry g, int pixel)
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
                long row = ((long)n * g.OutHeight + oy) * g.OutWidth + ox - firstRow;
                long src = row * g.PatchSize + ((long)ky * g.WindowWidth + kx) * g.Channels;
                TensorPrimitives.Add(dst, new ReadOnlySpan<float>(colGrad + src, g.Channels), dst);
            }
        }
    }
}
