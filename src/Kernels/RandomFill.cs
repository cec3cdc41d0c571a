using ILGPU;

namespace GpuTrain.Kernels;

/// <summary>
/// Random fills drawn from <see cref="Philox"/>: element i of a fill with (seed, stream) is
/// <c>f(Philox(seed, stream, i))</c>, so a fill is the same on every backend and on the host, and
/// any element can be recomputed without the others. Use distinct streams for distinct uses
/// (each variable's initializer, each step's dropout mask).
/// </summary>
public static class RandomFill
{
    /// <summary><c>y[i] = low + (high - low) * Philox.Uniform(seed, stream, i)</c>, in [low, high).</summary>
    public static void Uniform(Index1D i, ArrayView<float> y, ulong seed, ulong stream, float low, float high) =>
        y[i] = low + (high - low) * Philox.Uniform(seed, stream, (ulong)i.X);

    /// <summary><c>y[i] = mean + std * Philox.Normal(seed, stream, i)</c>.</summary>
    public static void Normal(Index1D i, ArrayView<float> y, ulong seed, ulong stream, float mean, float std) =>
        y[i] = mean + std * Philox.Normal(seed, stream, (ulong)i.X);
}
