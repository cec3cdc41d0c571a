using GpuTrain.Kernels;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>
/// tf.truncated_normal_initializer: normal values with the given mean and stddev, any draw more
/// than two standard deviations from the mean drawn again (the Deep MNIST tutorial's weights).
/// </summary>
public sealed class TruncatedNormal : Initializer
{
    /// <summary>Truncated normal with <paramref name="stddev"/> around <paramref name="mean"/>.</summary>
    /// <exception cref="ArgumentException">stddev is negative or a parameter is not finite.</exception>
    public TruncatedNormal(float stddev = 1f, float mean = 0f)
    {
        if (!float.IsFinite(mean) || !float.IsFinite(stddev) || stddev < 0)
            throw new ArgumentException($"truncated normal needs a finite mean and a finite stddev >= 0; got {mean}, {stddev}", float.IsFinite(mean) ? nameof(stddev) : nameof(mean));
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>The centre.</summary>
    public float Mean { get; }

    /// <summary>The standard deviation before truncation.</summary>
    public float Stddev { get; }

    /// <inheritdoc />
    protected override void Generate(Span<float> values, Shape shape, ulong seed)
    {
        for (int i = 0; i < values.Length; i++)
        {
            // The k-th redraw of element i uses Philox stream k, so each element's value depends on
            // (seed, i) alone. A draw lands within 2 sigma with probability 0.954.
            float z;
            ulong attempt = 0;
            do z = Philox.Normal(seed, attempt++, (ulong)i);
            while (MathF.Abs(z) > 2f);
            values[i] = Mean + Stddev * z;
        }
    }
}
