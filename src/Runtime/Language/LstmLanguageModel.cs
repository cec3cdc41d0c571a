using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Initializers;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// The trainable tensors of the ptb_word_lm model under the tutorial's TF1 names, in one parameter
/// arena with a gradient arena of the same layout: <c>Model/embedding</c> [vocab, hidden], per layer
/// <c>Model/RNN/multi_rnn_cell/cell_L/basic_lstm_cell/kernel</c> [in + hidden, 4·hidden] and
/// <c>.../bias</c> [4·hidden], and <c>Model/softmax_w</c> [hidden, vocab], <c>Model/softmax_b</c>
/// [vocab]. Everything starts uniform in [-init_scale, init_scale) except the LSTM biases, which
/// BasicLSTMCell initializes to zero. Unrolled graphs (<see cref="LstmUnroll"/>) share these.
/// </summary>
public sealed class LstmLanguageModel : IDisposable
{
    private const ulong InitializerStream = 0x97B;

    /// <summary>Lays out and initializes the parameters for <paramref name="vocabSize"/> words.</summary>
    /// <exception cref="ArgumentException">The vocabulary is empty or the config is invalid.</exception>
    public LstmLanguageModel(Device device, PtbConfig config, int vocabSize, ulong seed)
    {
        if (vocabSize < 1) throw new ArgumentException($"the vocabulary must hold at least one word; got {vocabSize}", nameof(vocabSize));
        Device = device;
        Config = config.Validated();
        VocabSize = vocabSize;
        var uniform = new RandomUniform(-config.InitScale, config.InitScale);
        // The tensors the unrolled graphs' building blocks declare, in the tutorial's variable order.
        var specs = new List<ParameterSpec>(EmbeddingLayer(config, vocabSize, uniform).Parameters);
        for (int l = 0; l < config.NumLayers; l++) specs.AddRange(LstmLayer(config, l, uniform).Parameters);
        specs.AddRange(SoftmaxLayer(vocabSize, config, uniform).Parameters);
        var layout = new ArenaLayout();
        foreach (var spec in specs) layout.Add(spec.Name, spec.Shape);
        Parameters = new ParameterArena(device, layout);
        Gradients = new ParameterArena(device, layout);
        Gemm = GemmEngines.For(device);
        for (int i = 0; i < specs.Count; i++)
            specs[i].Initializer.Fill(Parameters, Parameters[specs[i].Name], Philox.Bits64(seed, InitializerStream, (ulong)i));
    }

    /// <summary>The embedding lookup, <c>Model/embedding</c> [vocab, hidden].</summary>
    internal static Embedding EmbeddingLayer(PtbConfig config, int vocabSize, Initializer init) =>
        new(vocabSize, config.HiddenSize, init, name: "Model/embedding", tableName: "Model/embedding");

    /// <summary>LSTM layer <paramref name="layer"/> under TF's MultiRNNCell scope, built for its [hidden] input.</summary>
    internal static Lstm LstmLayer(PtbConfig config, int layer, Initializer? init = null)
    {
        var lstm = new Lstm(config.HiddenSize, config.ForgetBias, init, new Zeros(), $"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell");
        lstm.Build(new Shape(config.HiddenSize), _ => "");
        return lstm;
    }

    /// <summary>The softmax projection over every time step, <c>Model/softmax_w</c> [hidden, vocab] and <c>Model/softmax_b</c> [vocab].</summary>
    internal static Dense SoftmaxLayer(int vocabSize, PtbConfig config, Initializer? init = null)
    {
        var dense = new Dense(vocabSize, init, init, name: "Model/softmax", kernelName: "Model/softmax_w", biasName: "Model/softmax_b");
        dense.Build(new Shape(config.HiddenSize), _ => "");
        return dense;
    }

    /// <summary>The device.</summary>
    public Device Device { get; }

    /// <summary>The hyper-parameters.</summary>
    public PtbConfig Config { get; }

    /// <summary>Words in the vocabulary (rows of the embedding, columns of the softmax).</summary>
    public int VocabSize { get; }

    /// <summary>The parameters.</summary>
    public ParameterArena Parameters { get; }

    /// <summary>Their gradients (same layout); backward passes accumulate here.</summary>
    public ParameterArena Gradients { get; }

    /// <summary>The device's GEMM engine.</summary>
    public IGemmEngine Gemm { get; }

    /// <summary>The embedding table.</summary>
    public ArenaSlice Embedding => Parameters["Model/embedding"];

    /// <summary>Layer <paramref name="layer"/>'s kernel, [input + hidden, 4·hidden] (input rows first).</summary>
    public ArenaSlice Kernel(int layer) => Parameters[$"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell/kernel"];

    /// <summary>Layer <paramref name="layer"/>'s bias, [4·hidden].</summary>
    public ArenaSlice Bias(int layer) => Parameters[$"Model/RNN/multi_rnn_cell/cell_{layer}/basic_lstm_cell/bias"];

    /// <summary>The softmax weights, [hidden, vocab].</summary>
    public ArenaSlice SoftmaxWeights => Parameters["Model/softmax_w"];

    /// <summary>The softmax bias, [vocab].</summary>
    public ArenaSlice SoftmaxBias => Parameters["Model/softmax_b"];

    /// <inheritdoc />
    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
        Gemm.Dispose();
    }
}
