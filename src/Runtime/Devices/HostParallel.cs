namespace GpuTrain.Runtime.Devices;

/// <summary>
/// Splits a kernel's index range [0, extent) into contiguous chunks and runs them on the thread
/// pool. Contiguous chunks (not the GPU's interleaving) keep each core on its own cache lines; a
/// few chunks per core balance uneven kernels (a col2im pixel at the border sums fewer windows).
/// </summary>
internal static class HostParallel
{
    // Below this many elements of work one thread finishes before a second would have started.
    private const int MinChunk = 2048;
    private const int ChunksPerCore = 4;

    /// <summary>
    /// The cores this process's host kernels may use: all of them, or a data-parallel rank's share of
    /// the machine (set before the device opens), so that N ranks do not oversubscribe it.
    /// </summary>
    public static int Cores
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Cores), value, "must be positive");
    } = Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/>(lo, hi) over chunks of [0, <paramref name="extent"/>).</summary>
    public static void For(int extent, Action<int, int> body) => Run(extent, extent, body);

    /// <summary>
    /// Runs <paramref name="body"/>(lo, hi) over chunks of the rows [0, <paramref name="rows"/>), each
    /// <paramref name="cols"/> elements of work (a softmax row over a vocabulary): a few wide rows are
    /// already worth several threads. A row is never split.
    /// </summary>
    public static void ForRows(int rows, int cols, Action<int, int> body) => Run(rows, (long)rows * Math.Max(1, cols), body);

    private static void Run(int extent, long work, Action<int, int> body)
    {
        if (extent <= 0) return;
        int cores = Cores;
        int chunks = (int)Math.Min(Math.Min(cores * ChunksPerCore, extent), (work + MinChunk - 1) / MinChunk);
        if (cores == 1 || chunks <= 1)
        {
            body(0, extent);
            return;
        }
        int size = (extent + chunks - 1) / chunks;
        chunks = (extent + size - 1) / size;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = cores }, c =>
        {
            int start = c * size;
            body(start, Math.Min(extent, start + size));
        });
    }
}
