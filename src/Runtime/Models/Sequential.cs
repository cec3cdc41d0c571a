using GpuTrain.Kernels;
using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Models;

/// <summary>
/// A stack of layers, each feeding the next, like <c>tf.keras.Sequential</c>. Construction names the
/// layers (conv1, pool1, dense1, ...), infers every shape from <c>inputShape</c> and lays out and
/// initializes the parameter and gradient arenas. <see cref="Plan"/> then allocates, once per batch
/// size, one output buffer and one gradient buffer per layer; Forward and Backward only launch kernels.
/// </summary>
public sealed class Sequential : IDisposable
{
    private const ulong InitializerStream = 0x1A17;
    private readonly List<Layer> _layers;
    private Tensor<float>[] _outputs = [];
    private Tensor<float>[] _outputGrads = [];
    private Tensor<float>? _input, _inputGrad;

    /// <summary>Builds the model on <paramref name="device"/> for examples of <paramref name="inputShape"/>.</summary>
    /// <param name="device">Where parameters, activations and kernels live.</param>
    /// <param name="inputShape">One example's shape, e.g. [28, 28, 1] (NHWC without N).</param>
    /// <param name="layers">The layers in order.</param>
    /// <exception cref="ArgumentException">No layers, or a layer rejects the shape it receives.</exception>
    public Sequential(Device device, int[] inputShape, params Layer[] layers) : this(device, inputShape, 0, layers) { }

    /// <summary>As the other constructor, with the <paramref name="seed"/> of the initializers.</summary>
    public Sequential(Device device, int[] inputShape, ulong seed, params Layer[] layers)
    {
        if (layers.Length == 0) throw new ArgumentException("a Sequential model needs at least one layer", nameof(layers));
        Device = device;
        InputShape = new Shape(inputShape);
        _layers = [.. layers];
        var counters = new Dictionary<string, int>();
        string AutoName(string prefix) => prefix + (counters[prefix] = counters.GetValueOrDefault(prefix) + 1);
        var shape = InputShape;
        foreach (var layer in _layers) shape = layer.Build(shape, AutoName);
        OutputShape = shape;
        if (_layers.Select(l => l.Name).Distinct().Count() != _layers.Count)
            throw new ArgumentException("two layers share a name: " + string.Join(", ", _layers.Select(l => l.Name)), nameof(layers));

        var layout = new ArenaLayout();
        var specs = _layers.SelectMany(l => l.Parameters).ToList();
        foreach (var spec in specs) layout.Add(spec.Name, spec.Shape);
        Parameters = new ParameterArena(device, layout);
        Gradients = new ParameterArena(device, layout);
        Gemm = GemmEngines.For(device);
        // Each tensor draws from its own Philox key, so adding a layer does not change the others' values.
        for (int i = 0; i < specs.Count; i++)
            specs[i].Initializer.Fill(Parameters, Parameters[specs[i].Name], Philox.Bits64(seed, InitializerStream, (ulong)i));
    }

    /// <summary>The device.</summary>
    public Device Device { get; }

    /// <summary>One example's input shape.</summary>
    public Shape InputShape { get; }

    /// <summary>One example's output shape (e.g. [10] logits).</summary>
    public Shape OutputShape { get; }

    /// <summary>The layers, named.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>All trainable tensors (TF1 names: <c>conv1/kernel</c>, <c>conv1/bias</c>, ...).</summary>
    public ParameterArena Parameters { get; }

    /// <summary>Their gradients, same layout; Backward accumulates here.</summary>
    public ParameterArena Gradients { get; }

    /// <summary>The GEMM engine chosen for the device.</summary>
    public IGemmEngine Gemm { get; }

    /// <summary>The batch size buffers are planned for (0 before the first <see cref="Plan"/>).</summary>
    public int Batch { get; private set; }

    /// <summary>Time steps per example of the planned batch (1 unless planned for sequences).</summary>
    public int Steps { get; private set; } = 1;

    /// <summary>Rows of every buffer: <see cref="Batch"/> · <see cref="Steps"/>.</summary>
    public int Rows => Batch * Steps;

    /// <summary>The input buffer of the planned batch: [rows, ...InputShape] (a sequence batch is time-major).</summary>
    public ArrayView<float> Input => _input!.View;

    /// <summary>The gradient of the loss with respect to <see cref="Input"/>, written by <c>Backward(pass, inputGradient: true)</c>.</summary>
    public ArrayView<float> InputGrad => _inputGrad!.View;

    /// <summary>The output of the last Forward: [batch, ...OutputShape].</summary>
    public ArrayView<float> Output => _outputs[^1].View;

    /// <summary>The gradient of the loss with respect to <see cref="Output"/>; the loss writes it.</summary>
    public ArrayView<float> OutputGrad => _outputGrads[^1].View;

    /// <summary>
    /// Allocates every activation buffer for <paramref name="batch"/> examples, or for
    /// <paramref name="batch"/> sequences of <paramref name="steps"/> time steps laid out time-major
    /// (see <see cref="ModelContext.Steps"/>), for recurrent layers (no-op if already planned so).
    /// </summary>
    public void Plan(int batch, int steps = 1)
    {
        if (batch < 1) throw new ArgumentException($"batch size must be positive; got {batch}", nameof(batch));
        if (steps < 1) throw new ArgumentException($"time steps must be positive; got {steps}", nameof(steps));
        if (batch == Batch && steps == Steps) return;
        DisposeBuffers();
        var context = new ModelContext(Device, Parameters, Gradients, Gemm) { Steps = steps };
        int rows = checked(batch * steps);
        _input = new Tensor<float>(Device, Batched(rows, InputShape));
        _inputGrad = new Tensor<float>(Device, Batched(rows, InputShape));
        _outputs = new Tensor<float>[_layers.Count];
        _outputGrads = new Tensor<float>[_layers.Count];
        for (int i = 0; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            layer.Plan(context, rows);
            // A view (Flatten) or an element-wise layer whose predecessor does not read its own output
            // back (ReLU after a convolution) works in its input's buffers: no copy, no second 5 MB.
            layer.InPlace = i > 0 && (layer.IsView || (layer.CanRunInPlace && !_layers[i - 1].BackwardReadsOutput));
            _outputs[i] = layer.InPlace ? _outputs[i - 1] : new Tensor<float>(Device, Batched(rows, layer.OutputShape));
            _outputGrads[i] = layer.InPlace ? _outputGrads[i - 1] : new Tensor<float>(Device, Batched(rows, layer.OutputShape));
        }
        // An in-place ReLU is applied by the layer before it as it writes its output, and its gradient
        // by the layer after it as it writes its input gradient, where those layers can (and then a
        // convolution may max-pool as it goes: Conv2D.TakeOverPooling).
        for (int i = 1; i < _layers.Count; i++)
        {
            if (_layers[i] is not ReLU { InPlace: true } relu) continue;
            bool last = i + 1 == _layers.Count;
            relu.Fuse(_layers[i - 1], last ? null : _layers[i + 1], last ? default : _outputs[i + 1].View, last ? default : _outputGrads[i + 1].View);
        }
        Batch = batch;
        Steps = steps;
    }

    /// <summary>When set, every layer's forward and backward is timed into it (see <see cref="StepProfile"/>).</summary>
    public StepProfile? Profile { get; set; }

    /// <summary>Runs every layer on <see cref="Input"/>; the result is in <see cref="Output"/>.</summary>
    public void Forward(PassContext pass)
    {
        var x = Input;
        for (int i = 0; i < _layers.Count; i++)
        {
            long start = Profile?.Start(Device) ?? 0;
            _layers[i].Forward(pass, x, _outputs[i].View);
            Profile?.Stop(Device, _layers[i].Name + ".forward", start);
            x = _outputs[i].View;
        }
    }

    /// <summary>
    /// Back-propagates <see cref="OutputGrad"/> through every layer, accumulating into
    /// <see cref="Gradients"/>. The gradient with respect to the input is computed into
    /// <see cref="InputGrad"/> only when <paramref name="inputGradient"/> is set (training never needs it).
    /// </summary>
    public void Backward(PassContext pass, bool inputGradient = false)
    {
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            var x = i == 0 ? Input : _outputs[i - 1].View;
            var dx = i > 0 ? _outputGrads[i - 1].View : inputGradient ? InputGrad : default;
            long start = Profile?.Start(Device) ?? 0;
            _layers[i].Backward(pass, x, _outputs[i].View, _outputGrads[i].View, dx);
            Profile?.Stop(Device, _layers[i].Name + ".backward", start);
        }
    }

    private static Shape Batched(int batch, Shape shape) => new([batch, .. shape.Dims]);

    private void DisposeBuffers()
    {
        _input?.Dispose();
        _inputGrad?.Dispose();
        foreach (var t in _outputs.Concat(_outputGrads).Distinct()) t.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeBuffers();
        foreach (var layer in _layers) layer.Dispose();
        Parameters.Dispose();
        Gradients.Dispose();
        Gemm.Dispose();
    }
}
