using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Elementwise kernels over float views: one thread per element, launched with the length of the
/// output view as extent. Inputs and output may alias (in-place updates are safe because every
/// thread reads and writes only its own element).
/// </summary>
public static class Elementwise
{
    /// <summary><c>c[i] = a[i] + b[i]</c>.</summary>
    public static void Add(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) =>
        c[i] = a[i] + b[i];

    /// <summary><c>c[i] = a[i] * b[i]</c>.</summary>
    public static void Mul(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) =>
        c[i] = a[i] * b[i];

    /// <summary><c>y[i] = alpha * x[i]</c>.</summary>
    public static void Scale(Index1D i, ArrayView<float> x, float alpha, ArrayView<float> y) =>
        y[i] = alpha * x[i];

    /// <summary><c>y[i] += alpha * x[i]</c> (BLAS axpy).</summary>
    public static void Axpy(Index1D i, float alpha, ArrayView<float> x, ArrayView<float> y) =>
        y[i] += alpha * x[i];

    /// <summary><c>y[i] = value</c>.</summary>
    public static void Fill(Index1D i, ArrayView<float> y, float value) =>
        y[i] = value;

    /// <summary><c>dst[i] = src[i]</c>.</summary>
    public static void Copy(Index1D i, ArrayView<float> src, ArrayView<float> dst) =>
        dst[i] = src[i];
}
