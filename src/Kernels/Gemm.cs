using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// GEMM, C = alpha op(A) op(B) + beta C over row-major views, as one ILGPU kernel: the engine used
/// on OpenCL devices (CUDA uses cuBLAS, the CPU accelerator a SIMD host GEMM; see GpuTrain.Runtime.Gemm).
///
/// Design: the classic shared-memory tiling. A group of Tile x Tile threads owns a Tile x Tile block
/// of C; it walks K in steps of Tile, each thread loading one element of the A tile and one of the
/// B tile into shared memory, then every thread accumulates its dot product from shared memory.
/// Each global element is thus read K/Tile times instead of K times. The tile edge is a launch
/// argument chosen from the accelerator's MaxNumThreadsPerGroup, so the shared buffers are sized
/// for the largest tile (<see cref="MaxTile"/>) and used partly when the group is smaller.
/// Threads outside C still load (zeros) and reach every barrier: a barrier must see the whole group.
/// </summary>
public static class Gemm
{
    /// <summary>The largest tile edge (32 x 32 = 1024 threads, the CUDA group limit).</summary>
    public const int MaxTile = 32;

    private const int TileElements = MaxTile * MaxTile;

    /// <summary>
    /// The explicitly grouped tiled GEMM. Launch with grid (ceil(n / Tile), ceil(m / Tile)) and
    /// group (Tile, Tile): X runs along columns of C so neighbouring threads touch neighbouring memory.
    /// </summary>
    /// <param name="size">The extent of C: X = n columns, Y = m rows.</param>
    /// <param name="a">A as stored: m x k (row stride Lda), or k x m when TransA.</param>
    /// <param name="b">B as stored: k x n (row stride Ldb), or n x k when TransB.</param>
    /// <param name="c">C, m x n with row stride Ldc; read only when Beta != 0.</param>
    /// <param name="args">Transposes, K, strides, alpha, beta and the tile edge.</param>
    public static void Tiled(Index2D size, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmTileArgs args)
    {
        var tileA = SharedMemory.Allocate<float>(TileElements);
        var tileB = SharedMemory.Allocate<float>(TileElements);
        int t = args.Tile;
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * t + ty, col = Grid.IdxX * t + tx;
        int m = size.Y, n = size.X;

        float sum = 0f;
        for (int k0 = 0; k0 < args.K; k0 += t)
        {
            int ka = k0 + tx, kb = k0 + ty;
            tileA[ty * t + tx] = row < m && ka < args.K ? LoadA(a, args, row, ka) : 0f;
            tileB[ty * t + tx] = kb < args.K && col < n ? LoadB(b, args, kb, col) : 0f;
            Group.Barrier();
            for (int kk = 0; kk < t; kk++)
                sum += tileA[ty * t + kk] * tileB[kk * t + tx];
            Group.Barrier();
        }

        if (row < m && col < n)
        {
            long at = (long)row * args.Ldc + col;
            c[at] = args.Beta == 0f ? args.Alpha * sum : args.Alpha * sum + args.Beta * c[at];
        }
    }

    private static float LoadA(ArrayView<float> a, GemmTileArgs args, int row, int k) =>
        args.TransA != 0 ? a[(long)k * args.Lda + row] : a[(long)row * args.Lda + k];

    private static float LoadB(ArrayView<float> b, GemmTileArgs args, int k, int col) =>
        args.TransB != 0 ? b[(long)col * args.Ldb + k] : b[(long)k * args.Ldb + col];
}
