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
/// </summary>
public sealed class SkipGramCheckpoint
{
    private readonly SkipGramNce _model;
    private readonly SkipGramBatcher _batches;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _dataIndex = new("data/index", DataType.DtInt64, []);
    private readonly HostVariable<long> _batchCount = new("data/batches", DataType.DtInt64, []);
    private readonly Saver _saver;

    /// <summary>Tracks <paramref name="model"/> and <paramref name="batches"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public SkipGramCheckpoint(SkipGramNce model, SkipGramBatcher batches, SaverOptions? options = null)
    {
        _model = model;
        _batches = batches;
        var variables = ArenaVariables.Of(model.Parameters).Append(_globalStep).Append(_dataIndex).Append(_batchCount);
        _saver = new Saver(variables, options);
    }

    /// <summary>Saves <c>PREFIX-STEP</c> for the model's current step; returns the checkpoint's prefix.</summary>
    public string Save(string prefix)
    {
        _model.Device.Synchronize();
        _globalStep.Value = _model.GlobalStep;
        var cursor = _batches.Cursor;
        _dataIndex.Value = cursor.DataIndex;
        _batchCount.Value = cursor.Batches;
        return _saver.Save(prefix, _model.GlobalStep);
    }

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the model and the
    /// batcher (a damaged latest one is skipped and <paramref name="report"/> says why); returns its
    /// prefix, or null when the directory holds none.
    /// </summary>
    public string? RestoreLatest(string directory, Action<string>? report = null)
    {
        string? prefix = _saver.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        _model.GlobalStep = _globalStep.Value;
        _batches.Restore(new SkipGramCursor(_dataIndex.Value, _batchCount.Value));
        return prefix;
    }
}
