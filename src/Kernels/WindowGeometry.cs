namespace GpuTrain.Kernels;

/// <summary>
/// The geometry of a sliding window over an NHWC batch (convolution or pooling): input size, window
/// size, strides, output size and the top/left padding. TensorFlow's SAME and VALID rules are applied
/// by the runtime when it builds one; kernels only read the numbers.
/// </summary>
/// <param name="Batch">Examples in the batch (N).</param>
/// <param name="InHeight">Input height (H).</param>
/// <param name="InWidth">Input width (W).</param>
/// <param name="Channels">Input channels (C).</param>
/// <param name="WindowHeight">Window (kernel) height.</param>
/// <param name="WindowWidth">Window (kernel) width.</param>
/// <param name="StrideY">Vertical stride.</param>
/// <param name="StrideX">Horizontal stride.</param>
/// <param name="OutHeight">Output height.</param>
/// <param name="OutWidth">Output width.</param>
/// <param name="PadTop">Rows of implicit padding above the input.</param>
/// <param name="PadLeft">Columns of implicit padding left of the input.</param>
public readonly record struct WindowGeometry(
    int Batch, int InHeight, int InWidth, int Channels,
    int WindowHeight, int WindowWidth, int StrideY, int StrideX,
    int OutHeight, int OutWidth, int PadTop, int PadLeft)
{
    /// <summary>Length of one im2col row: window height x window width x channels.</summary>
    public int PatchSize => WindowHeight * WindowWidth * Channels;

    /// <summary>Output pixels in the batch (N x OH x OW), the row count of the im2col matrix.</summary>
    public int OutPixels => Batch * OutHeight * OutWidth;

    /// <summary>Input pixels in the batch (N x H x W).</summary>
    public int InPixels => Batch * InHeight * InWidth;

    /// <summary>
    /// The output row whose window row <paramref name="ky"/> lies on input row <paramref name="iy"/>,
    /// if there is one (the gradient passes of convolution and pooling gather over these).
    /// </summary>
    public bool TryOutputRow(int iy, int ky, out int oy) => TryOutput(iy + PadTop - ky, StrideY, OutHeight, out oy);

    /// <summary>The output column whose window column <paramref name="kx"/> lies on input column <paramref name="ix"/>, if any.</summary>
    public bool TryOutputColumn(int ix, int kx, out int ox) => TryOutput(ix + PadLeft - kx, StrideX, OutWidth, out ox);

    private static bool TryOutput(int offset, int stride, int outSize, out int o)
    {
        o = offset / stride;
        return offset >= 0 && offset % stride == 0 && o < outSize;
    }
}
