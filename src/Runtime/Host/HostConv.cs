using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Gemm;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Convolution on the host as im2col + GEMM without the im2col matrix. Forward, for a wide patch,
/// each block of im2col (Mc pixels by one Kc slice of the patch) is packed by
/// <see cref="HostConvPacking"/> straight from the image into the layout the host GEMM's
/// micro-kernel streams and multiplied there, with the kernel packed once per call; the kernel
/// gradient builds im2col segments 256 pixels at a time per band of kernel rows in a worker's
/// buffer. For the Deep MNIST conv2 the whole col is 9,800 x 800 floats (31 MB, and as much again
/// for its gradient), which would be written and read back through memory on every pass. A narrow
/// patch (conv1: 25 entries) keeps the whole col for the backward pass.
/// <para>
/// Every product is cut where the whole GEMM would cut it (blocks of rows of C, whole Kc slices of
/// K, register tiles swept in the driver's order), so each element sees the same FMAs in the same
/// order and the results equal im2col + GEMM + <see cref="ConvKernels.Col2Im"/> bit for bit; the bias
/// is added to each finished block with the same single addition as the bias kernel. col2im
/// gathers per input pixel in <see cref="ConvKernels"/>' (ky, kx) order, one block of whole images at
/// a time, since an input pixel's windows all lie in its own image.
/// </para>
/// </summary>
internal static unsafe class HostConv
{
    /// <summary>Rows of col per block where col is built row by row: one Kc slice (256 for both micro-kernels).</summary>
    private static int BlockRows(HostGemmEngine gemm) => gemm.Kernel.Kc;

    /// <summary>
    /// y[pixels, filters] = col(x) · kernel + bias, then max(y, 0) with <paramref name="relu"/>. When
    /// <paramref name="columns"/> is not empty (a narrow patch, kept for the kernel gradient) col is
    /// built there whole; otherwise each block of Mc pixels is packed for the micro-kernel straight
    /// from the image, one Kc slice at a time. When <paramref name="pooled"/> is not empty, y is not
    /// written at all: each block (whole rows of windows of one image, <see cref="PoolBandRows"/>) is
    /// max-pooled from the worker's buffer into <paramref name="pooled"/> and <paramref name="argmax"/>
    /// as <see cref="HostPool.MaxForward"/> pools (indices into y), while it is still in cache.
    /// </summary>
    public static void Forward(HostGemmEngine gemm, ArrayView<float> input, ArrayView<float> kernel, ArrayView<float> bias,
        ArrayView<float> output, WindowGeometry g, ArrayView<float> columns, bool relu,
        ArrayView<float> pooled, ArrayView<int> argmax, WindowGeometry pool)
    {
        float* px = HostMemory.Pointer(input), pw = HostMemory.Pointer(kernel), pb = HostMemory.Pointer(bias), py = HostMemory.Pointer(output);
        float* kept = HostMemory.Pointer(columns), ppool = HostMemory.Pointer(pooled);
        int* parg = HostMemory.Pointer(argmax);
        var mk = gemm.Kernel;
        int filters = (int)bias.Length, patch = g.PatchSize, rows = kept != null ? BlockRows(gemm) : mk.Mc;
        float* packed = gemm.PackWholeB(false, pw, filters, patch, filters);
        // Pooled: blocks of whole bands of output rows, each inside one image.
        int bandRows = ppool != null ? PoolBandRows(gemm, g, pool, kept != null) : 0;
        int bandsPerImage = bandRows > 0 ? (g.OutHeight + bandRows - 1) / bandRows : 0;
        int blocks = bandRows > 0 ? g.Batch * bandsPerImage : (g.OutPixels + rows - 1) / rows;
        long padded = kept != null ? PaddedRowsLength(g) : 0, scratch = bandRows > 0 ? (long)bandRows * g.OutWidth * filters : 0;
        gemm.ForBlocks(blocks, 2L * g.OutPixels * patch * filters, (block, ws) =>
        {
            int start, count, image = 0, firstRow = 0;
            if (bandRows > 0)
            {
                (image, firstRow) = (block / bandsPerImage, block % bandsPerImage * bandRows);
                start = (image * g.OutHeight + firstRow) * g.OutWidth;
                count = Math.Min(bandRows, g.OutHeight - firstRow) * g.OutWidth;
            }
            else
            {
                start = block * rows;
                count = Math.Min(rows, g.OutPixels - start);
            }
            float* buffer = ws.Block(scratch + padded);
            float* y = bandRows > 0 ? buffer : py + (long)start * filters;
            if (kept != null)
            {
                float* col = kept + (long)start * patch;
                Im2ColRows(px, g, start, count, col, buffer + scratch);
                var call = new HostGemmCall(false, false, patch, 1f, col, patch, pw, filters, 0f, y, filters);
                HostGemmDriver.Run(call, 0, count, 0, filters, mk, ws, packed);
            }
            else
            {
                for (int jc = 0; jc < filters; jc += mk.Nc)
                {
                    int nc = Math.Min(mk.Nc, filters - jc);
                    for (int pc = 0; pc < patch; pc += mk.Kc)
                    {
                        int kc = Math.Min(mk.Kc, patch - pc);
                        float* panel = PanelOfB(mk, ws, packed, pw, filters, pc, kc, jc, nc);
                        HostConvPacking.PackRows(px, g, start, count, pc, kc, mk.Mr, ws.PackedA);
                        MultiplyPacked(mk, ws, ws.PackedA, count, kc, panel, nc, y + jc, filters, pc == 0 ? 0f : 1f);
                    }
                }
            }
            AddBias(y, pb, count, filters, relu);
            // The band's rows of windows, from the buffer standing in for the whole output (whose pixel start it holds first).
            if (bandRows > 0)
            {
                int windowRows = (count / g.OutWidth + pool.StrideY - 1) / pool.StrideY;
                HostPool.ForwardRows(y - (long)start * filters, ppool, parg, pool, image, firstRow / pool.StrideY, windowRows);
            }
        });
    }

    /// <summary>
    /// Output rows per block when <see cref="Forward"/> max-pools as it goes with windows of
    /// <paramref name="pool"/> (over this convolution's output), or 0 where it cannot: the windows
    /// must tile the output from its top-left corner (stride = window, no padding before), and a
    /// band of whole window rows must fit a block (Mc pixels where packed from the image).
    /// </summary>
    public static int PoolBandRows(HostGemmEngine gemm, in WindowGeometry g, in WindowGeometry pool, bool keptColumns)
    {
        bool tiles = pool.StrideY == pool.WindowHeight && pool.StrideX == pool.WindowWidth && pool.PadTop == 0 && pool.PadLeft == 0 &&
            pool.OutHeight * pool.StrideY >= pool.InHeight && pool.OutWidth * pool.StrideX >= pool.InWidth &&
            pool.InHeight == g.OutHeight && pool.InWidth == g.OutWidth && pool.Batch == g.Batch;
        int limit = keptColumns ? BlockRows(gemm) : gemm.Kernel.Mc;
        int bandRows = limit / g.OutWidth / pool.StrideY * pool.StrideY;
        return tiles && bandRows > 0 ? bandRows : 0;
    }

    /// <summary>
    /// kernelGrad[patch, filters] += col(x)ᵀ · dy, im2col segments built 256 pixels at a time per
    /// band of kernel rows in a worker's buffer. (Packing colᵀ straight from the image, as the
    /// forward pass does, measured 8-15% slower here: 10.3 against 9.2-9.6 ms single-core.)
    /// </summary>
    public static void KernelGrad(HostGemmEngine gemm, ArrayView<float> input, ArrayView<float> outputGrad,
        ArrayView<float> kernelGrad, WindowGeometry g)
    {
        float* px = HostMemory.Pointer(input), pdy = HostMemory.Pointer(outputGrad), pdw = HostMemory.Pointer(kernelGrad);
        int patch = g.PatchSize, filters = (int)(kernelGrad.Length / patch), rows = BlockRows(gemm), mr = gemm.Kernel.Mr;
        // Each part owns a band of kernel rows (patch entries) and walks all pixels, so parts never
        // write the same element and each element's K sum runs in the whole GEMM's order. One band
        // per core: 3 per core, to balance a descheduled vCPU, cost 6-12% single-core (conv2, 8.3-9.5
        // against 7.8-8.4 ms), each band building its own im2col segments and packing dy again.
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

    /// <summary>
    /// Floats of the slice sums <see cref="KernelGradFromColumns"/> needs: one patch x filters product
    /// per Kc slice of the pixels.
    /// </summary>
    public static long SliceSumsLength(HostGemmEngine gemm, WindowGeometry g, int filters) =>
        (long)SliceCount(gemm, g) * g.PatchSize * filters;

    private static int SliceCount(HostGemmEngine gemm, in WindowGeometry g) => (g.OutPixels + gemm.Kernel.Kc - 1) / gemm.Kernel.Kc;

    /// <summary>
    /// kernelGrad[patch, filters] += colᵀ · dy from the column matrix the forward pass kept (a narrow
    /// patch: conv1's 25 entries over 39,200 pixels). The GEMM would give each core a strip of 8
    /// kernel rows walking all of K, each re-reading all of dy (packed whole first), so 4 strips read
    /// 5 MB four times. Here each Kc slice of pixels is one block, taken by whichever core is free: the
    /// driver forms that slice's product from zero, exactly the sum the GEMM's micro-kernel forms for
    /// it, into the slice's own place in <paramref name="sliceSums"/>; then the slices are added to
    /// kernelGrad in order, as the GEMM's beta = 1 store of each slice adds them. The same bits.
    /// </summary>
    public static void KernelGradFromColumns(HostGemmEngine gemm, ArrayView<float> columns, ArrayView<float> outputGrad,
        ArrayView<float> kernelGrad, WindowGeometry g, ArrayView<float> sliceSums)
    {
        float* col = HostMemory.Pointer(columns), pdy = HostMemory.Pointer(outputGrad), pdw = HostMemory.Pointer(kernelGrad);
        float* sums = HostMemory.Pointer(sliceSums);
        int patch = g.PatchSize, filters = (int)(kernelGrad.Length / patch), kc = gemm.Kernel.Kc, slices = SliceCount(gemm, g);
        long size = (long)patch * filters;
        gemm.ForBlocks(slices, 2L * g.OutPixels * size, (slice, ws) =>
        {
            int start = slice * kc, count = Math.Min(kc, g.OutPixels - start);
            var call = new HostGemmCall(true, false, count, 1f, col + (long)start * patch, patch, pdy + (long)start * filters, filters, 0f,
                sums + slice * size, filters);
            HostGemmDriver.Run(call, 0, patch, 0, filters, gemm.Kernel, ws);
        });
        AddSlices(pdw, sums, slices, size);
    }

    /// <summary>
    /// <see cref="KernelGradFromColumns"/> and the bias gradient (added to <paramref name="biasGrad"/>)
    /// of a convolution whose output went through an in-place ReLU into a max pool of tiling windows
    /// that <see cref="Forward"/> computed (pooled), where no input gradient is wanted (a first
    /// layer): dy, what the pool's backward pass would write through the ReLU
    /// (<see cref="HostPool.GradientRows"/>), is made a Kc slice at a time in the worker's buffer and
    /// never stored (conv1: 5 MB written and read twice). One worker walks all rows in order for the
    /// bias gradient (the bias kernel's order) while the others take the slices. The same bits as the
    /// pool's backward pass followed by KernelGradFromColumns and the bias gradient.
    /// </summary>
    public static void GradientsThroughPool(HostGemmEngine gemm, ArrayView<float> columns, ArrayView<float> pooledGrad,
        ArrayView<int> argmax, ArrayView<float> pooled, WindowGeometry pool, ArrayView<float> kernelGrad, ArrayView<float> biasGrad,
        WindowGeometry g, ArrayView<float> sliceSums)
    {
        float* col = HostMemory.Pointer(columns), pdw = HostMemory.Pointer(kernelGrad), pdb = HostMemory.Pointer(biasGrad);
        float* sums = HostMemory.Pointer(sliceSums), pgrad = HostMemory.Pointer(pooledGrad), pmax = HostMemory.Pointer(pooled);
        int* parg = HostMemory.Pointer(argmax);
        int patch = g.PatchSize, filters = (int)biasGrad.Length, kc = gemm.Kernel.Kc, slices = SliceCount(gemm, g);
        long size = (long)patch * filters;
        gemm.ForBlocks(slices + 1, 2L * g.OutPixels * size, (block, ws) =>
        {
            float* dy = ws.Block((long)(kc + 1) * filters);
            if (block == 0)
            {
                BiasGradThroughPool(pgrad, parg, pmax, pool, g.OutPixels, kc, filters, dy, pdb);
                return;
            }
            int slice = block - 1, start = slice * kc, count = Math.Min(kc, g.OutPixels - start);
            HostPool.GradientRows(pgrad, parg, pmax, pool, start, count, dy);
            var call = new HostGemmCall(true, false, count, 1f, col + (long)start * patch, patch, dy, filters, 0f, sums + slice * size, filters);
            HostGemmDriver.Run(call, 0, patch, 0, filters, gemm.Kernel, ws);
        });
        AddSlices(pdw, sums, slices, size);
    }

    /// <summary>
    /// biasGrad += the column sums of the pool's input gradient (<see cref="HostPool.GradientRows"/>),
    /// made <paramref name="rows"/> rows at a time in <paramref name="buffer"/> (rows + 1 rows of
    /// filters), each column summed from 0 in row order and then added, as the bias kernel sums.
    /// </summary>
    private static void BiasGradThroughPool(float* pooledGrad, int* argmax, float* pooled, in WindowGeometry pool, int pixels, int rows,
        int filters, float* buffer, float* biasGrad)
    {
        float* sum = buffer + (long)rows * filters;
        new Span<float>(sum, filters).Clear();
        int w = Vector<float>.Count;
        for (int start = 0; start < pixels; start += rows)
        {
            int count = Math.Min(rows, pixels - start);
            HostPool.GradientRows(pooledGrad, argmax, pooled, pool, start, count, buffer);
            for (int r = 0; r < count; r++)
            {
                float* row = buffer + (long)r * filters;
                int j = 0;
                for (; j + w <= filters; j += w) (Vector.Load(sum + j) + Vector.Load(row + j)).Store(sum + j);
                for (; j < filters; j++) sum[j] += row[j];
            }
        }
        for (int j = 0; j < filters; j++) biasGrad[j] += sum[j];
    }

    /// <summary>kernelGrad += each slice's sum in turn, elementwise (the GEMM's beta = 1 store of each K slice).</summary>
    private static void AddSlices(float* kernelGrad, float* sums, int slices, long size)
    {
        int w = Vector<float>.Count;
        long e = 0;
        for (; e + w <= size; e += w)
        {
            var total = Vector.Load(kernelGrad + e);
            for (int s = 0; s < slices; s++) total += Vector.Load(sums + s * size + e);
            total.Store(kernelGrad + e);
        }
        for (; e < size; e++)
        {
            float total = kernelGrad[e];
            for (int s = 0; s < slices; s++) total += sums[s * size + e];
            kernelGrad[e] = total;
        }
    }

    /// <summary>
    /// The packed B panel for K slice pc .. pc+kc and columns jc .. jc+nc of a row-major B (ldb = its
    /// width): a slice of the whole packing when there is one, else packed now into the worker's buffer.
    /// </summary>
    private static float* PanelOfB(HostMicroKernel mk, HostGemmWorkspace ws, float* packedWhole, float* b, int ldb, int pc, int kc, int jc, int nc)
    {
        if (packedWhole != null) return packedWhole + (nint)pc * HostGemmPacking.PaddedColumns(ldb, mk.Nr);
        HostGemmPacking.PackB(false, b, ldb, pc, jc, kc, nc, mk.Nr, ws.PackedB);
        return ws.PackedB;
    }

    /// <summary>
    /// C[m, n] = beta C + A · B for a packed A block (m &lt;= Mc rows) and a packed B panel, one Kc slice:
    /// the driver's register-tile sweep (B strip outer, A strip inner), ragged tiles through the
    /// worker's edge tile, so every element sees the same FMAs as in <see cref="HostGemmDriver"/>.
    /// </summary>
    private static void MultiplyPacked(HostMicroKernel mk, HostGemmWorkspace ws, float* a, int m, int kc, float* b, int n,
        float* c, nint ldc, float beta)
    {
        int mr = mk.Mr, nr = mk.Nr;
        for (int jr = 0; jr < n; jr += nr)
        {
            int cols = Math.Min(nr, n - jr);
            float* bStrip = b + (nint)jr * kc;
            for (int ir = 0; ir < m; ir += mr)
            {
                int rows = Math.Min(mr, m - ir);
                float* aStrip = a + (nint)ir * kc;
                float* tile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    mk.Run(kc, aStrip, bStrip, nr, tile, ldc, beta);
                    continue;
                }
                mk.Run(kc, aStrip, bStrip, nr, ws.Edge, nr, 0f);
                for (int r = 0; r < rows; r++)
                {
                    float* dst = tile + r * ldc, src = ws.Edge + r * nr;
                    for (int j = 0; j < cols; j++) dst[j] = beta == 0f ? src[j] : beta * dst[j] + src[j];
                }
            }
        }
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

    /// <summary>
    /// Rows first .. first+count of col, each output pixel's window unrolled in (ky, kx, c) order with
    /// zeros where it hangs over the padding. The input rows under one row of output pixels are first
    /// copied into <paramref name="padded"/> (<see cref="PaddedRowsLength"/> floats) between zeros, so
    /// that each window row is then one plain run of a padded row with no edge cases. A narrow patch's
    /// runs (conv1: 5 runs of 5 floats a pixel) are copied as 8 floats, each spilling into the next
    /// run's place before that run overwrites it, and the last run of a pixel as a masked copy: a
    /// masked load and store per run, with the edge handling of each, cost twice the GEMM after it.
    /// </summary>
    private static void Im2ColRows(float* input, in WindowGeometry g, int first, int count, float* dst, float* padded)
    {
        int c = g.Channels, rowLength = g.WindowWidth * c, patch = g.PatchSize, width = PaddedRowFloats(g);
        int covered = (g.OutWidth - 1) * g.StrideX + g.WindowWidth;
        int copied = Math.Min(g.InWidth, covered - g.PadLeft) * c;
        // A run of 4 to 7 floats: its 8-float copy spills into the next run's place only (never past
        // the pixel's row, which another worker's block may be writing).
        bool spill = rowLength is >= 4 and < 8 && Avx.IsSupported;
        for (int pixel = first, end = first + count; pixel < end;)
        {
            int ox = pixel % g.OutWidth, oy = pixel / g.OutWidth % g.OutHeight, n = pixel / (g.OutWidth * g.OutHeight);
            int run = Math.Min(end - pixel, g.OutWidth - ox);
            for (int ky = 0; ky < g.WindowHeight; ky++)
            {
                float* row = padded + ky * width;
                new Span<float>(row, width).Clear();
                int iy = oy * g.StrideY - g.PadTop + ky;
                if (iy >= 0 && iy < g.InHeight && copied > 0)
                    new ReadOnlySpan<float>(input + (((nint)n * g.InHeight + iy) * g.InWidth) * c, copied)
                        .CopyTo(new Span<float>(row + g.PadLeft * c, copied));
            }
            for (int r = 0; r < run; r++, dst += patch)
            {
                float* src = padded + (ox + r) * g.StrideX * c;
                int ky = 0;
                if (spill)
                {
                    for (; ky < g.WindowHeight - 1; ky++) Avx.Store(dst + ky * rowLength, Avx.LoadVector256(src + ky * width));
                }
                for (; ky < g.WindowHeight; ky++) CopyRun(src + ky * width, dst + ky * rowLength, rowLength);
            }
            pixel += run;
        }
    }

    /// <summary>Floats of one zero-bordered input row of <see cref="Im2ColRows"/>: every column a row of windows covers, and 8 to spare for a whole-vector read.</summary>
    private static int PaddedRowFloats(in WindowGeometry g) => ((g.OutWidth - 1) * g.StrideX + g.WindowWidth) * g.Channels + 8;

    /// <summary>Floats of <see cref="Im2ColRows"/>' zero-bordered rows: one per window row.</summary>
    private static long PaddedRowsLength(in WindowGeometry g) => (long)g.WindowHeight * PaddedRowFloats(g);

    /// <summary>Lanes of a masked store: the first 8 - i of <c>Mask[i..]</c> are set.</summary>
    private static ReadOnlySpan<int> Mask => [-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Copies <paramref name="length"/> floats; up to 8 as one masked load and store, which touch nothing outside the run.</summary>
    private static void CopyRun(float* src, float* dst, int length)
    {
        if (length <= 8 && Avx.IsSupported)
        {
            if (length == 0) return;
            var mask = Vector256.Create(Mask.Slice(8 - length, 8)).AsSingle();
            Avx.MaskStore(dst, mask, Avx.MaskLoad(src, mask));
            return;
        }
        new ReadOnlySpan<float>(src, length).CopyTo(new Span<float>(dst, length));
    }

    /// <summary>dst[0 .. length] += src[0 .. length], one addition per element.</summary>
    private static void AddRun(float* src, float* dst, int length)
    {
        int j = 0, w = Vector<float>.Count;
        for (; j + w <= length; j += w) (Vector.Load(dst + j) + Vector.Load(src + j)).Store(dst + j);
        for (; j < length; j++) dst[j] += src[j];
    }

    /// <summary>
    /// y[r, :] += bias for <paramref name="rows"/> rows: one addition per element, as the bias kernel
    /// makes; with <paramref name="relu"/> then y &gt; 0 ? y : 0, as the ReLU kernel makes (NaN gives 0).
    /// </summary>
    private static void AddBias(float* y, float* bias, int rows, int filters, bool relu)
    {
        int w = Vector<float>.Count;
        for (int r = 0; r < rows; r++, y += filters)
        {
            int j = 0;
            for (; j + w <= filters; j += w)
            {
                var sum = Vector.Load(y + j) + Vector.Load(bias + j);
                if (relu) sum = Vector.ConditionalSelect(Vector.GreaterThan(sum, Vector<float>.Zero), sum, Vector<float>.Zero);
                sum.Store(y + j);
            }
            for (; j < filters; j++)
            {
                float sum = y[j] + bias[j];
                y[j] = !relu || sum > 0f ? sum : 0f;
            }
        }
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
        float* d = inputGrad + (long)pixel * g.Channels;
        new Span<float>(d, g.Channels).Clear();
        for (int ky = 0; ky < g.WindowHeight; ky++)
        {
            if (!g.TryOutputRow(iy, ky, out int oy)) continue;
            for (int kx = 0; kx < g.WindowWidth; kx++)
            {
                if (!g.TryOutputColumn(ix, kx, out int ox)) continue;
                long row = ((long)n * g.OutHeight + oy) * g.OutWidth + ox - firstRow;
                long src = row * g.PatchSize + ((long)ky * g.WindowWidth + kx) * g.Channels;
                AddRun(colGrad + src, d, g.Channels);
            }
        }
    }
}
