using GpuTrain.Kernels;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Initializers;

/// <summary>
/// tf.glorot_uniform_initializer (Xavier): uniform in [-limit, limit) with
/// limit = sqrt(6 / (fan_in + fan_out)), the fans computed as TensorFlow does (<see cref="Fans"/>).
/// </summary>
public sealed class GlorotUniform : Initializer
{
    /// <summary>The bound for a tensor of <paramref name="shape"/>.</summary>
    public static float Limit(Shape shape)
    {
        var (fanIn, fanOut) = Fans(shape);
        return MathF.Sqrt(6f / (fanIn + fanOut));
    }

    /// <summary>
    /// TensorFlow's _compute_fans: a scalar has fans (1, 1); a vector [n] has (n, n); a dense kernel
    /// [in, out] has (in, out); a convolution kernel [h, w, in, out] multiplies both by the
    /// receptive field h * w (all dimensions but the last two).
    /// </summary>
    public static (long FanIn, long FanOut) Fans(Shape shape)
    {
        switch (shape.Rank)
        {
            case 0: return (1, 1);
            case 1: return (shape[0], shape[0]);
            case 2: return (shape[0], shape[1]);
            default:
                long receptive = 1;
                for (int d = 0; d < shape.Rank - 2; d++) receptive *= shape[d];
                return (shape[-2] * receptive, shape[-1] * receptive);
        }
    }

    /// <inheritdoc />
    protected override void Generate(Span<float> values, Shape shape, ulong seed)
    {
        float limit = Limit(shape);
        for (int i = 0; i < values.Length; i++) values[i] = limit * (2f * Philox.Uniform(seed, 0, (ulong)i) - 1f);
    }
}
