namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The hyper-parameters of TensorFlow's ptb_word_lm tutorial (SmallConfig, MediumConfig,
/// LargeConfig): the model's shape, the unrolled batch, and SGD's schedule. The learning rate is
/// <c>LearningRate · LrDecay^max(epoch + 1 - MaxEpoch, 0)</c> for epoch 0, 1, ...
/// </summary>
/// <param name="Name">small, medium, large (or a custom name for tests).</param>
/// <param name="InitScale">Weights start uniform in [-InitScale, InitScale).</param>
/// <param name="LearningRate">SGD's initial learning rate.</param>
/// <param name="MaxGradNorm">Global-norm clipping threshold.</param>
/// <param name="NumLayers">Stacked LSTM layers.</param>
/// <param name="NumSteps">Time steps unrolled per batch (truncated back-propagation length).</param>
/// <param name="HiddenSize">Units per layer, also the embedding width.</param>
/// <param name="MaxEpoch">Epochs at the initial learning rate.</param>
/// <param name="MaxMaxEpoch">Total epochs.</param>
/// <param name="KeepProb">Dropout keep probability on the embedding and every layer's output (1: none).</param>
/// <param name="LrDecay">Learning-rate factor per epoch after <paramref name="MaxEpoch"/>.</param>
/// <param name="BatchSize">Parallel streams per batch.</param>
/// <param name="ForgetBias">Added to the forget gate's pre-activation (the tutorial uses 0).</param>
public sealed record PtbConfig(string Name, float InitScale, float LearningRate, float MaxGradNorm, int NumLayers, int NumSteps,
    int HiddenSize, int MaxEpoch, int MaxMaxEpoch, float KeepProb, float LrDecay, int BatchSize, float ForgetBias = 0f)
{
    /// <summary>SmallConfig: 2 x 200 units, 20 steps, no dropout, 13 epochs.</summary>
    public static PtbConfig Small { get; } = new("small", 0.1f, 1.0f, 5f, 2, 20, 200, 4, 13, 1.0f, 0.5f, 20);

    /// <summary>MediumConfig: 2 x 650 units, 35 steps, keep 0.5, 39 epochs.</summary>
    public static PtbConfig Medium { get; } = new("medium", 0.05f, 1.0f, 5f, 2, 35, 650, 6, 39, 0.5f, 0.8f, 20);

    /// <summary>LargeConfig: 2 x 1500 units, 35 steps, keep 0.35, 55 epochs.</summary>
    public static PtbConfig Large { get; } = new("large", 0.04f, 1.0f, 10f, 2, 35, 1500, 14, 55, 0.35f, 1 / 1.15f, 20);

    /// <summary>The configuration named <paramref name="name"/> (small, medium, large).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static PtbConfig Named(string name) => name switch
    {
        "small" => Small,
        "medium" => Medium,
        "large" => Large,
        _ => throw new ArgumentException($"unknown PTB config '{name}': expected small, medium or large", nameof(name)),
    };

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based).</summary>
    public float LearningRateAt(int epoch) => LearningRate * MathF.Pow(LrDecay, Math.Max(epoch + 1 - MaxEpoch, 0));

    /// <summary>Checks every value; names the first bad one.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public PtbConfig Validated()
    {
        if (!(InitScale > 0)) throw new ArgumentException($"PTB config {Name}: init scale must be positive; got {InitScale}", nameof(InitScale));
        if (!(LearningRate > 0)) throw new ArgumentException($"PTB config {Name}: learning rate must be positive; got {LearningRate}", nameof(LearningRate));
        if (!(MaxGradNorm > 0)) throw new ArgumentException($"PTB config {Name}: max grad norm must be positive; got {MaxGradNorm}", nameof(MaxGradNorm));
        if (NumLayers < 1 || NumSteps < 1 || HiddenSize < 1 || BatchSize < 1)
            throw new ArgumentException($"PTB config {Name}: layers, steps, hidden size and batch size must be positive; got {NumLayers}, {NumSteps}, {HiddenSize}, {BatchSize}",
                NumLayers < 1 ? nameof(NumLayers) : NumSteps < 1 ? nameof(NumSteps) : HiddenSize < 1 ? nameof(HiddenSize) : nameof(BatchSize));
        if (!(KeepProb > 0 && KeepProb <= 1)) throw new ArgumentException($"PTB config {Name}: keep_prob must be in (0, 1]; got {KeepProb}", nameof(KeepProb));
        return this;
    }
}
