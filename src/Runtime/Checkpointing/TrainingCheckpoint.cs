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
/// continues exactly as the uninterrupted one would have.
/// </summary>
public sealed class TrainingCheckpoint
{
    private readonly Trainer _trainer;
    private readonly ShuffledBatcher _batches;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);
    private readonly HostVariable<long> _shuffleSeed = new("data/shuffle_seed", DataType.DtInt64, []);
    private readonly Saver _saver;

    /// <summary>Tracks <paramref name="trainer"/> and <paramref name="batches"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public TrainingCheckpoint(Trainer trainer, ShuffledBatcher batches, SaverOptions? options = null)
    {
        _trainer = trainer;
        _batches = batches;
        // The optimizer's slots exist only once attached; they must be in the checkpoint from the first save.
        trainer.Optimizer.Attach(trainer.Model.Parameters);
        var variables = ArenaVariables.Of(trainer.Model.Parameters)
            .Concat(trainer.Optimizer.Variables.Select(v => (ICheckpointVariable)new ArenaVariable(v.Arena, v.Slice, v.Name)))
            .Append(_globalStep).Append(_epoch).Append(_position).Append(_shuffleSeed);
        _saver = new Saver(variables, options);
    }

    /// <summary>Saves <c>PREFIX-STEP</c> for the trainer's current step; returns the checkpoint's prefix.</summary>
    public string Save(string prefix)
    {
        _trainer.Model.Device.Synchronize();
        _globalStep.Value = _trainer.GlobalStep;
        var cursor = _batches.Cursor;
        _epoch.Value = cursor.Epoch;
        _position.Value = cursor.Position;
        _shuffleSeed.Value = unchecked((long)cursor.ShuffleSeed);
        return _saver.Save(prefix, _trainer.GlobalStep);
    }

    /// <summary>
    /// Restores the latest checkpoint in <paramref name="directory"/> into the trainer and the batcher;
    /// returns its prefix, or null when the directory holds none. Nothing changes when it fails.
    /// </summary>
    public string? RestoreLatest(string directory)
    {
        string? prefix = _saver.RestoreLatest(directory);
        if (prefix is null) return null;
        _trainer.GlobalStep = _globalStep.Value;
        _trainer.Optimizer.Step = _globalStep.Value;
        _batches.Restore(new BatchCursor(_epoch.Value, _position.Value, unchecked((ulong)_shuffleSeed.Value)));
        return prefix;
    }
}
