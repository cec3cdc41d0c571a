using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Checkpointing;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// The PTB LSTM's whole training state as one TensorFlow-compatible checkpoint: the parameters
/// under the tutorial's names, <c>global_step</c>, the data cursor (<c>data/epoch</c>,
/// <c>data/position</c>: the next batch) and the LSTM state carried into that batch
/// (<c>Model/state/cell_L/c</c> and <c>.../h</c>, [batch, hidden]). SGD has no slots, and dropout
/// masks are a function of (seed, step), so a resumed run continues as the uninterrupted one would.
/// Saving is asynchronous (<see cref="BackgroundCheckpoint"/>).
/// </summary>
public sealed class LstmCheckpoint : IDisposable
{
    private readonly LstmTrainer _trainer;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);
    private readonly HostVariable<float>[] _state;
    private readonly BackgroundCheckpoint _pipeline;

    /// <summary>Tracks <paramref name="trainer"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public LstmCheckpoint(LstmTrainer trainer, SaverOptions? options = null)
    {
        _trainer = trainer;
        var config = trainer.Model.Config;
        _state = Enumerable.Range(0, config.NumLayers)
            .SelectMany(l => new[] { "c", "h" }.Select(part =>
                new HostVariable<float>($"Model/state/cell_{l}/{part}", DataType.DtFloat, [config.BatchSize, config.HiddenSize])))
            .ToArray();
        var parameters = trainer.Model.Parameters;
        _pipeline = new BackgroundCheckpoint(parameters.Layout.Slices.Select(s => (parameters, s, s.Name)).ToList(),
            _state.Concat<ICheckpointVariable>([_globalStep, _epoch, _position]), options);
    }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _pipeline.Bytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> with <paramref name="cursor"/> as the next batch and returns as
    /// soon as the state is staged (see <see cref="BackgroundCheckpoint.SaveInBackground"/>).
    /// </summary>
    public SaveStart SaveInBackground(string prefix, (long Epoch, long Position) cursor) =>
        _pipeline.SaveInBackground(prefix, _trainer.GlobalStep, () => Capture(cursor));

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _pipeline.WaitForSave();

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the trainer (a
    /// damaged latest one is skipped and <paramref name="report"/> says why); returns its prefix and
    /// the cursor of the next batch, or null when the directory holds none.
    /// </summary>
    public (string Prefix, long Epoch, long Position)? RestoreLatest(string directory, Action<string>? report = null)
    {
        string? prefix = _pipeline.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        _trainer.GlobalStep = _globalStep.Value;
        _trainer.Graph.UploadState(_state.Select(s => s.Values).ToArray());
        return (prefix, _epoch.Value, _position.Value);
    }

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose() => _pipeline.Dispose();

    private void Capture((long Epoch, long Position) cursor)
    {
        _globalStep.Value = _trainer.GlobalStep;
        (_epoch.Value, _position.Value) = cursor;
        var state = _trainer.Graph.DownloadState();
        for (int i = 0; i < state.Length; i++) state[i].CopyTo(_state[i].Values, 0);
    }
}
