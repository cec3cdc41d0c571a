using GpuTrain.Persistence.Saving;
using GpuTrain.Runtime.Distributed;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Tensors;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// A run's whole training state as one TensorFlow-compatible checkpoint, whatever the model: the
/// parameter arena and the optimizer's slots and scalars (<c>conv1/kernel/Adam</c>, <c>beta1_power</c>)
/// under their TF names, plus the named host state of the trainer (<c>global_step</c>) and of every
/// other part given (the data source's cursor, a model's carried LSTM state). Random draws are
/// functions of (seed, step), so with these a resumed run continues exactly as the uninterrupted
/// one would have. Saving is asynchronous (<see cref="BackgroundCheckpoint"/>).
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private readonly IHostState[] _parts;
    private readonly BackgroundCheckpoint _pipeline;
    private readonly Action _beforeUpdate;

    /// <summary>
    /// Tracks <paramref name="trainer"/> (its model's parameters, its optimizer's state, the global
    /// step) and the host state of <paramref name="parts"/>, with tf.train.Saver's policy in <paramref name="options"/>;
    /// with data-parallel <paramref name="ranks"/>, one checkpoint written by every rank together (a shard each, rank 0 commits).
    /// </summary>
    /// <exception cref="ArgumentException">Two variables share a checkpoint name.</exception>
    public Checkpoint(ITrainer trainer, IEnumerable<IHostState> parts, SaverOptions? options = null, Communicator? ranks = null)
    {
        Trainer = trainer;
        _parts = [trainer, .. parts.Distinct()];
        var parameters = trainer.Model.Parameters;
        trainer.Optimizer.Attach(parameters);
        var tensors = parameters.Layout.Slices.Select(s => (parameters, s, s.Name))
            .Concat(trainer.Optimizer.Variables.Select(v => (v.Arena, v.Slice, v.Name)))
            .ToList();
        var host = _parts.SelectMany(p => p.HostVariables).ToList();
        var duplicate = tensors.Select(t => t.Name).Concat(host.Select(v => v.Name)).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two checkpoint variables are named '{duplicate.Key}'", nameof(parts));
        _pipeline = new BackgroundCheckpoint(tensors, host, options, ranks);
        // The staging copy of a save runs during the next step's forward and backward passes; the
        // update is the first thing that writes what it copies.
        _beforeUpdate = () => CaptureWaitMs = _pipeline.WaitForCapture();
        trainer.BeforeUpdate += _beforeUpdate;
    }

    /// <summary>
    /// Milliseconds the last update waited for the staging copy of a save to finish (0 when it had):
    /// with <see cref="SaveStart.StallMs"/>, all that the save held the training thread.
    /// </summary>
    public double CaptureWaitMs { get; private set; }

    /// <summary>The trainer whose state is saved.</summary>
    public ITrainer Trainer { get; }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _pipeline.Bytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> at the trainer's global step and returns as soon as the state
    /// is staged (see <see cref="BackgroundCheckpoint.SaveInBackground"/>).
    /// </summary>
    public SaveStart SaveInBackground(string prefix) => _pipeline.SaveInBackground(prefix, Trainer.GlobalStep, () =>
    {
        foreach (var part in _parts) part.CaptureHostState();
    });

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _pipeline.WaitForSave();

    /// <summary>How the save in flight ended, if it has (once): the moment it is durable; null at once otherwise.</summary>
    public SaveOutcome? TakeFinishedSave() => _pipeline.TakeFinishedSave();

    /// <summary>
    /// Restores the newest intact checkpoint in <paramref name="directory"/> into the arenas and every
    /// part (a missing or corrupt latest one is skipped, and <paramref name="report"/> says why);
    /// returns its prefix, or null when the directory holds none.
    /// </summary>
    /// <exception cref="ArgumentException">A restored host value is out of range for its part (the
    /// checkpoint was written by a run over other data or batches); the message names the checkpoint.</exception>
    public string? RestoreLatest(string directory, Action<string>? report = null)
    {
        string? prefix = _pipeline.RestoreNewestIntact(directory, report ?? (_ => { }));
        if (prefix is null) return null;
        foreach (var part in _parts)
        {
            try
            {
                part.RestoreHostState();
            }
            catch (ArgumentException e)
            {
                // The part names its own parameter; the caller passed a directory.
                string reason = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
                throw new ArgumentException($"checkpoint {prefix} does not fit this run: {reason}", nameof(directory), e);
            }
        }
        return prefix;
    }

    /// <summary>
    /// Restores only a model's parameters from the checkpoint <paramref name="prefix"/> (evaluating a
    /// trained model in a fresh one), all or nothing: every tensor is checked before any is assigned.
    /// </summary>
    /// <exception cref="FileNotFoundException">The checkpoint or one of its data files is missing.</exception>
    /// <exception cref="KeyNotFoundException">A parameter is not in the checkpoint.</exception>
    /// <exception cref="InvalidDataException">A dtype or shape differs, or the files are corrupt.</exception>
    public static void RestoreParameters(string prefix, ParameterArena parameters) =>
        CheckpointRestorer.Restore(prefix, ArenaVariables.Of(parameters).ToDictionary(v => v.Name));

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose()
    {
        Trainer.BeforeUpdate -= _beforeUpdate;
        _pipeline.Dispose();
    }
}
