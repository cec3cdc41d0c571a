using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The trainable tensors of the ptb_word_lm model under the tutorial's TF1 names, shared by every
/// unrolled graph (<see cref="LstmUnroll"/>): <c>Model/embedding</c> [vocab, hidden], per layer
/// <c>Model/RNN/multi_rnn_cell/cell_L/basic_lstm_cell/kernel</c> [in + hidden, 4·hidden] and
/// <c>.../bias</c> [4·hidden], and <c>Model/softmax_w</c> [hidden, vocab], <c>Model/softmax_b</c>
/// [vocab]. Everything starts uniform in [-init_scale, init_scale) except the LSTM biases, which
/// BasicLSTMCell initializes to zero. The blocks below declare the tensors here and are planned
/// afresh, under the same names, for each graph.
/// </summary>
public sealed class LstmLanguageModel(Device device, PtbConfig config, int vocabSize, ulong seed) : IDisposable
{
    // The key family of the initial values (tensor i draws from (seed, stream, i)); checkpoints of
    // earlier versions were initialized so.
    private const ulong InitializerStream = 0x97B;

    /// <summary>The parameters, their gradients and the GEMM engine every graph uses.</summary>
    public SharedParameters Weights { get; } = new(device, Tensors(config.Validated(), ValidVocabulary(vocabSize)), seed, InitializerStream);

    /// <summary>The device.</summary>
    public Device Device => Weights.Device;

    /// <summary>The parameters (<see cref="Weights"/>' arena).</summary>
    public ParameterArena Parameters => Weights.Parameters;

    /// <summary>Their gradients (<see cref="Weights"/>' gradient arena).</summary>
    public ParameterArena Gradients => Weights.Gradients;

    /// <summary>The hyper-parameters.</summary>
    public PtbConfig Config { get; } = config;

    /// <summary>Words in the vocabulary (rows of the embedding, columns of the softmax).</summary>
    public int VocabSize { get; } = vocabSize;

    /// <summary>The embedding lookup, <c>Model/embedding</c> [vocab, hidden].</summary>
    public static Embedding EmbeddingBlock(PtbConfig config, int vocabSize, Initializer? init = null) =>
        new(vocabSize, config.HiddenSize, init ?? new Zeros(), name: "Model/embedding", tableName: "Model/embedding");

    /// <summary>LSTM layer <paramref name="layer"/> under TF's MultiRNNCell scope (its input is [hidden]).</summary>
    public static Lstm LstmBlock(PtbConfig config, int layer, Initializer? init = null) =>
        new(config.HiddenSize, config.ForgetBias, init, new Zeros(), $"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell");

    /// <summary>The softmax projection over every time step, <c>Model/softmax_w</c> [hidden, vocab] and <c>Model/softmax_b</c> [vocab].</summary>
    public static Dense SoftmaxBlock(int vocabSize, Initializer? init = null) =>
        new(vocabSize, init, init, name: "Model/softmax", kernelName: "Model/softmax_w", biasName: "Model/softmax_b");

    /// <summary>The embedding table.</summary>
    public ArenaSlice Embedding => Weights.Parameters["Model/embedding"];

    /// <summary>Layer <paramref name="layer"/>'s kernel, [input + hidden, 4·hidden] (input rows first).</summary>
    public ArenaSlice Kernel(int layer) => Weights.Parameters[$"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell/kernel"];

    /// <summary>Layer <paramref name="layer"/>'s bias, [4·hidden].</summary>
    public ArenaSlice Bias(int layer) => Weights.Parameters[$"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell/bias"];

    /// <summary>The softmax weights, [hidden, vocab].</summary>
    public ArenaSlice SoftmaxWeights => Weights.Parameters["Model/softmax_w"];

    /// <summary>The softmax bias, [vocab].</summary>
    public ArenaSlice SoftmaxBias => Weights.Parameters["Model/softmax_b"];

    /// <summary>The tensors the blocks declare, in the tutorial's variable order.</summary>
    private static IEnumerable<ParameterSpec> Tensors(PtbConfig config, int vocabSize)
    {
        var uniform = new RandomUniform(-config.InitScale, config.InitScale);
        var specs = new List<ParameterSpec>(EmbeddingBlock(config, vocabSize, uniform).Parameters);
        for (int l = 0; l < config.NumLayers; l++) specs.AddRange(SharedParameters.Declare(LstmBlock(config, l, uniform), config.HiddenSize));
        specs.AddRange(SharedParameters.Declare(SoftmaxBlock(vocabSize, uniform), config.HiddenSize));
        return specs;
    }

    private static int ValidVocabulary(int vocabSize) => vocabSize >= 1 ? vocabSize
        : throw new ArgumentException($"the vocabulary must hold at least one word; got {vocabSize}", nameof(vocabSize));

    /// <inheritdoc />
    public void Dispose() => Weights.Dispose();
}
