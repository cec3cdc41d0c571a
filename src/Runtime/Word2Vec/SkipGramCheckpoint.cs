using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Text;

namespace GpuTrain.Runtime.Word2Vec;

/// <summary>
/// The skip-gram training state as one TensorFlow-compatible checkpoint: <c>embeddings</c>,
/// <c>nce_weights</c>, <c>nce_biases</c>, <c>global_step</c> and the batch generator's cursor
/// (<c>data/index</c>, <c>data/batches</c>). Plain SGD has no slots, and the candidates are a function
/// of (seed, step), so with these a resumed run continues exactly as the uninterrupted one would have.
/// Saving is asynchronous (<see cref="BackgroundCheckpoint"/>).
/// </summary>
public sealed class SkipGramCheckpoint : IDisposable
{
    private readonly SkipGramNce _model;
    private readonly SkipGramBatcher _batches;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _dataIndex = new("data/index", DataType.DtInt64, []);
    private readonly HostVariable<long> _batchCount = new("data/batches", DataType.DtInt64, []);
    private readonly BackgroundCheckpoint _pipeline;

    /// <summary>Tracks <paramref name="model"/> and <paramref name="batches"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public SkipGramCheckpoint(SkipGramNce model, SkipGramBatcher batches, SaverOptions? options = null)
    {
        _model = model;
        _batches = batches;
        var parameters = model.Parameters;
        _pipeline = new BackgroundCheckpoint(parameters.Layout.Slices.Select(s => (parameters, s, s.Name)).ToList(),
            [_globalStep, _dataIndex, _batchCount], options);
    }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _pipeline.Bytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> for the model's current step and returns as soon as the state
    /// is staged (see <see cref="BackgroundCheckpoint.SaveInBackground"/>).
    /// </summary>
    public SaveStart SaveInBackground(string prefix) => _pipeline.SaveInBackground(prefix, _model.GlobalStep, Capture);

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _pipeline.WaitForSave();

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the model and the
    /// batcher (a damaged latest one is skipped and <paramref name="report"/> says why); returns its
    /// prefix, or null when the directory holds none.
    /// </summary>
    public string? RestoreLatest(string directory, Action<string>? report = null)
    {
        string? prefix = _pipeline.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        _model.GlobalStep = _globalStep.Value;
        _batches.Restore(new SkipGramCursor(_dataIndex.Value, _batchCount.Value));
        return prefix;
    }

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose() => _pipeline.Dispose();

    private void Capture()
    {
        _globalStep.Value = _model.GlobalStep;
        var cursor = _batches.Cursor;
        _dataIndex.Value = cursor.DataIndex;
        _batchCount.Value = cursor.Batches;
    }
}
