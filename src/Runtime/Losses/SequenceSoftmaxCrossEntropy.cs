using GpuTrain.Runtime.Ops;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Losses;

/// <summary>
/// The sequence loss of a language model (<c>tf.contrib.seq2seq.sequence_loss</c> with
/// <c>average_across_timesteps=False</c>, as the PTB tutorial's cost): the softmax cross-entropy of
/// every position's logits against its target, summed over the time steps and averaged over the
/// streams. Logits and targets are time-major [steps·streams] rows (the layout of a sequence batch,
/// see <see cref="Layers.ModelContext.Steps"/>). Forward computes the gradient with the loss, in the
/// same sweep over the logits (on host threads the probabilities are never stored apart), and
/// Backward hands it out: a language model's logits are 16 MB a step, which a separate gradient pass
/// read and wrote once more.
/// </summary>
public sealed class SequenceSoftmaxCrossEntropy : IDisposable
{
    private readonly Device _device;
    private readonly Tensor<int> _targets;
    private readonly Tensor<float> _gradient, _losses;
    private readonly float[] _hostLosses;

    /// <summary>A loss over <paramref name="streams"/> x <paramref name="steps"/> positions of <paramref name="classes"/> classes.</summary>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public SequenceSoftmaxCrossEntropy(Device device, int streams, int steps, int classes)
    {
        if (streams < 1) throw new ArgumentException($"a sequence loss needs at least one stream; got {streams}", nameof(streams));
        if (steps < 1) throw new ArgumentException($"a sequence loss needs at least one step; got {steps}", nameof(steps));
        if (classes < 1) throw new ArgumentException($"a sequence loss needs at least one class; got {classes}", nameof(classes));
        _device = device;
        Streams = streams;
        Steps = steps;
        Classes = classes;
        int rows = checked(streams * steps);
        _targets = new Tensor<int>(device, new Shape(rows));
        _gradient = new Tensor<float>(device, new Shape(rows, classes));
        _losses = new Tensor<float>(device, new Shape(rows));
        _hostLosses = new float[rows];
    }

    /// <summary>Streams (the divisor of the summed loss).</summary>
    public int Streams { get; }

    /// <summary>Time steps.</summary>
    public int Steps { get; }

    /// <summary>Classes (the vocabulary).</summary>
    public int Classes { get; }

    /// <summary>
    /// The cost of <paramref name="logits"/> [rows, classes] against <paramref name="targets"/> (time-major,
    /// one per row): Σ over rows of −log softmax(logits)[target] / streams; keeps its gradient for
    /// <see cref="Backward"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Another number of targets than rows, or a target outside the classes.</exception>
    public float Forward(ArrayView<float> logits, ReadOnlySpan<int> targets)
    {
        if (targets.Length != _hostLosses.Length)
            throw new ArgumentException($"a loss over {Streams} x {Steps} positions needs {_hostLosses.Length} targets; got {targets.Length}", nameof(targets));
        foreach (int target in targets)
            if ((uint)target >= (uint)Classes)
                throw new ArgumentException($"target {target} is outside the {Classes} classes", nameof(targets));
        _targets.Upload(targets);
        SoftmaxOps.CrossEntropyWithGradient(_device, logits, _targets.View, Classes, 1f / Streams, _gradient.View, _losses.View);
        _losses.View.CopyToCPU(_hostLosses);
        double sum = 0;
        foreach (float loss in _hostLosses) sum += loss;
        return (float)(sum / Streams);
    }

    /// <summary>
    /// dCost/dLogits of the last Forward, (softmax − onehot) / streams (valid until the next Forward).
    /// </summary>
    public ArrayView<float> Backward() => _gradient.View;

    /// <inheritdoc />
    public void Dispose()
    {
        _targets.Dispose();
        _gradient.Dispose();
        _losses.Dispose();
    }
}
