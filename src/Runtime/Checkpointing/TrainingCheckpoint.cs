using System.Diagnostics;
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
/// <para>
/// Saving is asynchronous: <see cref="SaveInBackground"/> copies the arenas into page-locked staging
/// buffers (<see cref="ArenaStaging"/>) and hands the writing to a <see cref="BackgroundSaver"/>; the
/// training thread pays for the copy, and for waiting when the previous save is still being written.
/// </para>
/// </summary>
public sealed class TrainingCheckpoint : IDisposable
{
    private readonly Trainer _trainer;
    private readonly ShuffledBatcher _batches;
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);
    private readonly HostVariable<long> _epoch = new("data/epoch", DataType.DtInt64, []);
    private readonly HostVariable<long> _position = new("data/position", DataType.DtInt64, []);
    private readonly HostVariable<long> _shuffleSeed = new("data/shuffle_seed", DataType.DtInt64, []);
    private readonly ArenaStaging _staging;
    private readonly Saver _saver;
    private readonly BackgroundSaver _background;

    /// <summary>Tracks <paramref name="trainer"/> and <paramref name="batches"/> with tf.train.Saver's policy in <paramref name="options"/>.</summary>
    public TrainingCheckpoint(Trainer trainer, ShuffledBatcher batches, SaverOptions? options = null)
    {
        _trainer = trainer;
        _batches = batches;
        // The optimizer's slots exist only once attached; they must be in the checkpoint from the first save.
        var parameters = trainer.Model.Parameters;
        trainer.Optimizer.Attach(parameters);
        var optimizerVariables = trainer.Optimizer.Variables;
        _staging = new ArenaStaging(optimizerVariables.Select(v => v.Arena).Prepend(parameters));
        var variables = parameters.Layout.Slices
            .Select(s => (ICheckpointVariable)new StagedArenaVariable(_staging, parameters, s, s.Name))
            .Concat(optimizerVariables.Select(v => new StagedArenaVariable(_staging, v.Arena, v.Slice, v.Name)))
            .Append(_globalStep).Append(_epoch).Append(_position).Append(_shuffleSeed);
        _saver = new Saver(variables, options);
        _background = new BackgroundSaver(_saver);
    }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _saver.TotalBytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> for the trainer's current step and returns as soon as the
    /// state is staged. Waits first for the previous save, whose outcome (a failure included) is in
    /// the result and is not reported again.
    /// </summary>
    public SaveStart SaveInBackground(string prefix)
    {
        long start = Stopwatch.GetTimestamp();
        var previous = _background.Wait();
        double waitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        double copyMs = _staging.Capture();
        _globalStep.Value = _trainer.GlobalStep;
        var cursor = _batches.Cursor;
        _epoch.Value = cursor.Epoch;
        _position.Value = cursor.Position;
        _shuffleSeed.Value = unchecked((long)cursor.ShuffleSeed);
        _background.Start(prefix, _trainer.GlobalStep);
        return new SaveStart(_trainer.GlobalStep, Stopwatch.GetElapsedTime(start).TotalMilliseconds, waitMs, copyMs, previous);
    }

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _background.Wait();

    /// <summary>Saves <c>PREFIX-STEP</c> and waits for it; returns the checkpoint's prefix.</summary>
    /// <exception cref="IOException">This save, or an earlier background save not yet reported, failed.</exception>
    public string Save(string prefix)
    {
        if (WaitForSave() is { Succeeded: false } earlier) throw earlier.Error!;
        SaveInBackground(prefix);
        var outcome = WaitForSave()!;
        return outcome.Prefix ?? throw outcome.Error!;
    }

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the trainer and the
    /// batcher (a missing or corrupt latest one is skipped, and <paramref name="report"/> says why);
    /// returns its prefix, or null when the directory holds none. Nothing changes when it fails.
    /// </summary>
    public string? RestoreLatest(string directory, Action<string>? report = null)
    {
        _background.Wait();
        string? prefix = _saver.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        _trainer.GlobalStep = _globalStep.Value;
        _trainer.Optimizer.Step = _globalStep.Value;
        _batches.Restore(new BatchCursor(_epoch.Value, _position.Value, unchecked((ulong)_shuffleSeed.Value)));
        return prefix;
    }

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose()
    {
        _background.Dispose();
        _staging.Dispose();
    }
}
