using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Initializers;
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
        int h = config.HiddenSize;
        var layout = new ArenaLayout();
        var uniform = new RandomUniform(-config.InitScale, config.InitScale);
        var specs = new List<(ArenaSlice Slice, Initializer Init)> { (layout.Add("Model/embedding", new Shape(vocabSize, h)), uniform) };
        for (int l = 0; l < config.NumLayers; l++)
        {
            string cell = $"Model/RNN/multi_rnn_cell/cell_{l}/basic_lstm_cell/";
            specs.Add((layout.Add(cell + "kernel", new Shape(2 * h, 4 * h)), uniform));
            specs.Add((layout.Add(cell + "bias", new Shape(4 * h)), new Zeros()));
        }
        specs.Add((layout.Add("Model/softmax_w", new Shape(h, vocabSize)), uniform));
        specs.Add((layout.Add("Model/softmax_b", new Shape(vocabSize)), uniform));
        Parameters = new ParameterArena(device, layout);
        Gradients = new ParameterArena(device, layout);
        Gemm = GemmEngines.For(device);
        for (int i = 0; i < specs.Count; i++)
            specs[i].Init.Fill(Parameters, specs[i].Slice, Philox.Bits64(seed, InitializerStream, (ulong)i));
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
