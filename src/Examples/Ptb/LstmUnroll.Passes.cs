using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Tensors;
using ILGPU;

namespace GpuTrain.Examples.Ptb;

/// <summary>The forward and backward passes of the unrolled graph, phase by phase.</summary>
public sealed partial class LstmUnroll
{
    private PassContext _pass;
    private bool _dropout;

    /// <summary>
    /// Runs the graph on one batch and returns its cost: the cross-entropy summed over the steps and
    /// averaged over the streams (the tutorial's <c>cost</c>). <paramref name="inputs"/> and
    /// <paramref name="targets"/> are batch-major [batch, steps] word ids, as ptb_producer yields.
    /// Dropout is active when <paramref name="training"/>, its masks keyed by (<paramref name="seed"/>,
    /// <paramref name="step"/>). The final state is kept: call <see cref="Backward"/> before the next
    /// Forward, which starts from it.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths or an id outside the vocabulary.</exception>
    public float Forward(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, bool training, ulong seed = 0, long step = 0) =>
        ForwardPass(inputs, targets, new PassContext(training, seed, step));

    // The trainer's pass carries a data-parallel rank's place in the global batch, which keys dropout.
    private float ForwardPass(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, PassContext pass)
    {
        if (pass.Training && !Trainable) throw new InvalidOperationException("this unrolled graph was planned for evaluation only");
        ToTimeMajor(inputs, targets);
        _pass = pass;
        _dropout = pass.Training && _dropouts.Length > 0;
        long start = Mark();
        _embedding.Forward(_pass, _hostIds, _embedded.View);
        var x = Drop(0, _embedded.View, _droppedInput);
        start = Phase("embedding.forward", start);
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Forward(_pass, x, _outputs[l].View);
            x = Drop(l + 1, _outputs[l].View, _dropout ? _droppedOutputs[l] : null);
            start = Phase($"lstm{l}.forward", start);
        }
        _softmax.Forward(_pass, x, _logits.View);
        float cost = _loss.Forward(_logits.View, _hostTargets);
        Phase("softmax+loss.forward", start);
        return cost;
    }

    /// <summary>
    /// Back-propagates the last <see cref="Forward"/>'s cost into the model's gradients (accumulating).
    /// When given, <paramref name="dInitialState"/> receives dCost/d(initial state) in
    /// <see cref="DownloadState"/>'s order (for gradient checks; training passes nothing).
    /// </summary>
    public void Backward(ArrayView<float>[]? dInitialState = null)
    {
        if (!Trainable) throw new InvalidOperationException("this unrolled graph was planned for evaluation only");
        int top = _layers.Length - 1;
        long start = Mark();
        var dLogits = _loss.Backward();
        var lastOutput = _dropout ? _droppedOutputs[top].View : _outputs[top].View;
        var dTop = _dropout ? _dScratch!.View : _dOutputs[top].View;
        _softmax.Backward(_pass, lastOutput, _logits.View, dLogits, dTop);
        UndoDrop(top + 1, dTop, _dOutputs[top].View);
        start = Phase("softmax+loss.backward", start);
        for (int l = top; l >= 0; l--)
        {
            var input = l == 0 ? (_dropout ? _droppedInput!.View : _embedded.View)
                : _dropout ? _droppedOutputs[l - 1].View : _outputs[l - 1].View;
            // dx lands in the scratch when it still has to pass a dropout mask, else in place: for
            // layer 0 over the embedded rows, which the layer reads for its weight gradient first.
            var below = l == 0 ? _embedded.View : _dOutputs[l - 1].View;
            var dx = _dropout ? _dScratch!.View : below;
            _layers[l].Backward(input, _dOutputs[l].View, dx,
                dInitialState?[2 * l + 1] ?? default, dInitialState?[2 * l] ?? default);
            UndoDrop(l, dx, below);
            start = Phase($"lstm{l}.backward", start);
        }
        _embedding.Backward(_embedded.View);
        Phase("embedding.backward", start);
    }

    private long Mark() => Profile?.Start(Device) ?? 0;

    /// <summary>Closes a profiled phase begun at <paramref name="start"/>; returns the start of the next.</summary>
    private long Phase(string name, long start)
    {
        if (Profile is null) return 0;
        Profile.Stop(Device, name, start);
        return Profile.Start(Device);
    }

    /// <summary>Dropout site <paramref name="site"/> (0: embedding, l + 1: layer l's output) into <paramref name="dropped"/>, or x itself when off.</summary>
    private ArrayView<float> Drop(int site, ArrayView<float> x, Tensor<float>? dropped)
    {
        if (!_dropout || dropped is null) return x;
        _dropouts[site].Forward(_pass, x, dropped.View);
        return dropped.View;
    }

    /// <summary>The gradient through dropout site <paramref name="site"/>: the same mask, from <paramref name="dDropped"/> into <paramref name="dx"/>.</summary>
    private void UndoDrop(int site, ArrayView<float> dDropped, ArrayView<float> dx)
    {
        if (_dropout) _dropouts[site].Backward(_pass, default, default, dDropped, dx);
    }
}
