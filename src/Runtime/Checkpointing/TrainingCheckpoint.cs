using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Data;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// The whole training state as one TensorFlow-compatible checkpoint: the parameters, the optimizer's
/// slots and scalars (<c>conv1/kernel/Adam</c>, <c>beta1_power</c>, ...), <c>global_step</c> and the
/// data cursor. Dropout masks are a pure function of (seed, step), so with these a resumed run
/// continues exactly as the uninterrupted one would have. Saving is asynchronous
/// (<see cref="BackgroundCheckpoint"/>).
/// </summary>
public sealed class TrainingCheckpoint : IDisposable
{
    private readonly Trainer _trainer;
    private readonly ShuffledBatcher _batches;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);
    private readonly HostVariable<long> _shuffleSeed = new("data/shuffle_seed", DataType.DtInt64, []);
    private readonly BackgroundCheckpoint _pipeline;

    /// <summary>Tracks <paramref name="trainer"/> and <paramref name="batches"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public TrainingCheckpoint(Trainer trainer, ShuffledBatcher batches, SaverOptions? options = null)
    {
        _trainer = trainer;
        _batches = batches;
        // The optimizer's slots exist only once attached; they must be in the checkpoint from the first save.
        var parameters = trainer.Model.Parameters;
        trainer.Optimizer.Attach(parameters);
        var tensors = parameters.Layout.Slices.Select(s => (parameters, s, s.Name))
            .Concat(trainer.Optimizer.Variables.Select(v => (v.Arena, v.Slice, v.Name)))
            .ToList();
        _pipeline = new BackgroundCheckpoint(tensors, [_globalStep, _epoch, _position, _shuffleSeed], options);
    }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _pipeline.Bytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> for the trainer's current step and returns as soon as the
    /// state is staged (see <see cref="BackgroundCheckpoint.SaveInBackground"/>).
    /// </summary>
    public SaveStart SaveInBackground(string prefix) => _pipeline.SaveInBackground(prefix, _trainer.GlobalStep, Capture);

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _pipeline.WaitForSave();

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the trainer and the
    /// batcher (a missing or corrupt latest one is skipped, and <paramref name="report"/> says why);
    /// returns its prefix, or null when the directory holds none. Nothing changes when it fails.
    /// </summary>
    public string? RestoreLatest(string directory, Action<string>? report = null)
    {
        string? prefix = _pipeline.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        _trainer.GlobalStep = _globalStep.Value;
        _trainer.Optimizer.Step = _globalStep.Value;
        _batches.Restore(new BatchCursor(_epoch.Value, _position.Value, unchecked((ulong)_shuffleSeed.Value)));
        return prefix;
    }

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose() => _pipeline.Dispose();

    private void Capture()
    {
        _globalStep.Value = _trainer.GlobalStep;
        var cursor = _batches.Cursor;
        _epoch.Value = cursor.Epoch;
        _position.Value = cursor.Position;
        _shuffleSeed.Value = unchecked((long)cursor.ShuffleSeed);
    }
}
