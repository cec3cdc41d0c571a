using GpuTrain.Kernels;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Layers;

/// <summary>Builds a <see cref="WindowGeometry"/> with TensorFlow's SAME/VALID output-size and padding rules.</summary>
internal static class Windows
{
    /// <summary>
    /// The geometry of a <paramref name="window"/> window moving by <paramref name="stride"/> over an
    /// NHWC input of per-example shape <paramref name="input"/> [H, W, C].
    /// </summary>
    /// <exception cref="ArgumentException">The input is not [H, W, C] or a VALID window does not fit.</exception>
    public static WindowGeometry Plan(string layer, Shape input, int batch, (int H, int W) window, (int Y, int X) stride, Padding padding)
    {
        if (input.Rank != 3)
            throw new ArgumentException($"layer '{layer}' needs an input of shape [height, width, channels]; got {input}");
        var (outH, padTop) = Axis(layer, input[0], window.H, stride.Y, padding);
        var (outW, padLeft) = Axis(layer, input[1], window.W, stride.X, padding);
        return new WindowGeometry(batch, input[0], input[1], input[2], window.H, window.W, stride.Y, stride.X,
            outH, outW, padTop, padLeft);
    }

    private static (int Out, int PadBefore) Axis(string layer, int size, int window, int stride, Padding padding)
    {
        if (window < 1 || stride < 1)
            throw new ArgumentException($"layer '{layer}': window {window} and stride {stride} must be positive");
        if (padding == Padding.Valid)
        {
            if (window > size)
                throw new ArgumentException($"layer '{layer}': a VALID window of {window} does not fit an input of {size}");
            return ((size - window) / stride + 1, 0);
        }
        int outSize = (size + stride - 1) / stride;
        int padTotal = Math.Max((outSize - 1) * stride + window - size, 0);
        return (outSize, padTotal / 2);
    }
}
