using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>2D transpose of row-major matrices.</summary>
public static class Transpose
{
    /// <summary>
    /// <c>output[c, r] = input[r, c]</c> for a row-major [rows, cols] input and [cols, rows] output;
    /// one thread per element, indexed in output order so the writes are coalesced.
    /// </summary>
    public static void Transpose2D(Index1D i, ArrayView<float> input, int rows, int cols, ArrayView<float> output)
    {
        int c = i / rows, r = i % rows;
        output[i] = input[(long)r * cols + c];
    }
}
