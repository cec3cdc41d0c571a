using GpuTrain.Persistence.Variables;
using ILGPU;
using ILGPU.Runtime;

namespace GpuTrain.Examples.Ptb;

/// <summary>
/// The LSTM state the unrolled graph carries from batch to batch, and its place in a checkpoint as
/// <c>Model/state/cell_L/c</c> and <c>.../h</c>, [batch, hidden]; and the batch's ids, time-major.
/// </summary>
public sealed partial class LstmUnroll
{
    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => _state;

    /// <inheritdoc />
    public void CaptureHostState()
    {
        var state = DownloadState();
        for (int i = 0; i < state.Length; i++) state[i].CopyTo(_state[i].Values, 0);
    }

    /// <inheritdoc />
    public void RestoreHostState() => UploadState(_state.Select(s => s.Values).ToArray());

    /// <summary>Zeroes every layer's state (the tutorial does at the start of each epoch).</summary>
    public void ResetState()
    {
        foreach (var layer in _layers) layer.ResetState();
    }

    /// <summary>
    /// The carried state (after the last batch; the next batch starts from it), layer by layer:
    /// (c, h) each [batch, hidden], as the tutorial's final_state.
    /// </summary>
    public float[][] DownloadState() =>
        _layers.SelectMany(l => new[] { ToHost(l.CarriedCell), ToHost(l.CarriedHidden) }).ToArray();

    /// <summary>Sets the carried state, the next batch's initial state, in <see cref="DownloadState"/>'s order.</summary>
    /// <exception cref="ArgumentException">The arrays do not match the layers and batch.</exception>
    public void UploadState(float[][] state)
    {
        int size = Batch * _model.Config.HiddenSize;
        if (state.Length != 2 * _layers.Length || state.Any(s => s.Length != size))
            throw new ArgumentException($"an LSTM state for {_layers.Length} layers needs {2 * _layers.Length} arrays of {size} floats", nameof(state));
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].CarriedCell.CopyFromCPU(state[2 * l]);
            _layers[l].CarriedHidden.CopyFromCPU(state[2 * l + 1]);
        }
    }

    private static float[] ToHost(ArrayView<float> view)
    {
        var host = new float[view.Length];
        view.CopyToCPU(host);
        return host;
    }

    private void ToTimeMajor(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        int rows = Batch * Steps;
        if (inputs.Length != rows || targets.Length != rows)
            throw new ArgumentException($"a batch of {Batch} x {Steps} needs {rows} inputs and targets; got {inputs.Length} and {targets.Length}", inputs.Length != rows ? nameof(inputs) : nameof(targets));
        // ptb_producer's batches are [batch, steps]; the graph is time-major.
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < Steps; t++)
            {
                int id = inputs[b * Steps + t], target = targets[b * Steps + t];
                if ((uint)id >= (uint)_model.VocabSize || (uint)target >= (uint)_model.VocabSize)
                    throw new ArgumentException($"word id {Math.Max(id, target)} (or a negative one) is outside the vocabulary of {_model.VocabSize}", (uint)id >= (uint)_model.VocabSize ? nameof(inputs) : nameof(targets));
                _hostIds[t * Batch + b] = id;
                _hostTargets[t * Batch + b] = target;
            }
    }
}
