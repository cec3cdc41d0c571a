using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// Packs blocks of the im2col matrix straight from the NHWC image into the layout the host GEMM's
/// micro-kernel streams (strips of Mr rows: for each k, Mr consecutive floats), so no im2col row is
/// ever written and read back. The values are exactly what <see cref="ConvKernels.Im2Col"/> followed
/// by the GEMM's A packing would hold (zeros over the padding and in the strip's missing rows), so
/// the products are the same bit for bit.
/// </summary>
internal static unsafe class HostConvPacking
{
    /// <summary>
    /// Packs col[first .. first+rows, p0 .. p0+kc] (output pixels by patch entries) into ceil(rows / mr)
    /// strips of kc x mr: the forward pass's A block. Each strip gathers, for each window position, the
    /// channel vectors of its pixels and transposes them 8 x 8 in registers.
    /// </summary>
    public static void PackRows(float* input, in WindowGeometry g, int first, int rows, int p0, int kc, int mr, float* dst)
    {
        int channels = g.Channels;
        float** src = stackalloc float*[mr];
        // Per row of the strip: its image's first float and its window's top-left corner (or rows past the block: none).
        float** image = stackalloc float*[mr];
        int* top = stackalloc int[mr];
        int* left = stackalloc int[mr];
        for (int s = 0; s < rows; s += mr)
        {
            int count = Math.Min(mr, rows - s);
            for (int r = 0; r < mr; r++)
            {
                int pixel = first + s + r;
                int ox = pixel % g.OutWidth, oy = pixel / g.OutWidth % g.OutHeight, n = pixel / (g.OutWidth * g.OutHeight);
                image[r] = r < count ? input + (nint)n * g.InHeight * g.InWidth * channels : null;
                top[r] = oy * g.StrideY - g.PadTop;
                left[r] = ox * g.StrideX - g.PadLeft;
            }
            float* strip = dst + (nint)s * kc;
            for (int w = p0 / channels; w * channels < p0 + kc; w++)
            {
                int ky = w / g.WindowWidth, kx = w % g.WindowWidth;
                for (int r = 0; r < mr; r++)
                {
                    int iy = top[r] + ky, ix = left[r] + kx;
                    bool inside = image[r] != null && iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth;
                    src[r] = inside ? image[r] + ((nint)iy * g.InWidth + ix) * channels : null;
                }
                int c0 = Math.Max(p0, w * channels) - w * channels, c1 = Math.Min(p0 + kc, (w + 1) * channels) - w * channels;
                float* d = strip + (nint)(w * channels + c0 - p0) * mr;
                int c = c0;
                if (mr == 8 && Avx.IsSupported)
                {
                    for (; c + 8 <= c1; c += 8) TransposeEight(src, c, d + (nint)(c - c0) * 8);
                }
                for (; c < c1; c++)
                {
                    float* dc = d + (nint)(c - c0) * mr;
                    for (int r = 0; r < mr; r++) dc[r] = src[r] != null ? src[r][c] : 0f;
                }
            }
        }
    }

    /// <summary>Channels c .. c+8 of 8 pixels (null: zeros) written as 8 runs of 8 floats, one per channel.</summary>
    private static void TransposeEight(float** src, int c, float* dst)
    {
        HostGemmPacking.Transpose8x8(Load(src[0], c), Load(src[1], c), Load(src[2], c), Load(src[3], c),
            Load(src[4], c), Load(src[5], c), Load(src[6], c), Load(src[7], c), dst, 8);
    }

    private static Vector256<float> Load(float* pixel, int c) => pixel != null ? Avx.LoadVector256(pixel + c) : Vector256<float>.Zero;
}
