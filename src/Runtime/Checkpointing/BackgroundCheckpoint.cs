using System.Diagnostics;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Distributed;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>
/// The asynchronous save pipeline that every model's checkpoint shares. Device tensors (slices of
/// arenas) are staged by one copy (<see cref="ArenaStaging"/>), which runs
/// while the next step's forward and backward passes do; small host values (global step, data
/// cursor, carried LSTM state) are filled by the model's capture callback at the same moment; then a
/// <see cref="BackgroundSaver"/> writes and commits while training goes on. The training thread
/// pays for starting the copy, for what is left of it when the next update is about to write the
/// arenas (<see cref="WaitForCapture"/>), and, when the previous save is still being written, for
/// waiting on it; nothing it does afterwards can change what is being written.
/// </summary>
internal sealed class BackgroundCheckpoint : IDisposable
{
    private readonly ArenaStaging _staging;
    private readonly Saver _saver;
    private readonly RankSaver? _ranks;
    private readonly BackgroundSaver _background;

    /// <summary>
    /// Saves <paramref name="tensors"/> (each under its checkpoint name) and <paramref name="hostVariables"/>
    /// with tf.train.Saver's policy in <paramref name="options"/>. With data-parallel
    /// <paramref name="ranks"/>, every rank writes one shard of each checkpoint and rank 0 commits it
    /// (<see cref="RankSaver"/>); every rank must then save and restore at the same points.
    /// </summary>
    public BackgroundCheckpoint(IReadOnlyList<(ParameterArena Arena, ArenaSlice Slice, string Name)> tensors,
        IEnumerable<ICheckpointVariable> hostVariables, SaverOptions? options = null, Communicator? ranks = null)
    {
        _staging = new ArenaStaging(tensors.Select(t => (t.Arena, t.Slice)));
        var variables = tensors
            .Select(t => (ICheckpointVariable)new StagedArenaVariable(_staging, t.Arena, t.Slice, t.Name))
            .Concat(hostVariables);
        if (ranks is { IsDistributed: true })
        {
            _ranks = new RankSaver(ranks, variables, options);
            _saver = _ranks.Saver;
        }
        else _saver = new Saver(variables, options);
        _background = new BackgroundSaver(_saver);
    }

    /// <summary>Bytes of one checkpoint.</summary>
    public long Bytes => _saver.TotalBytes;

    /// <summary>
    /// Starts saving <c>PREFIX-STEP</c> and returns as soon as the state is staged: waits for the
    /// previous save (whose outcome, a failure included, is in the result and is not reported again),
    /// copies the arenas, calls <paramref name="captureHostValues"/> to fill the host variables, and
    /// hands the rest to the background.
    /// </summary>
    public SaveStart SaveInBackground(string prefix, long step, Action captureHostValues)
    {
        long start = Stopwatch.GetTimestamp();
        var previous = _background.Wait();
        double waitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        double copyMs = _staging.BeginCapture();
        captureHostValues();
        _background.Start(prefix, step);
        return new SaveStart(step, Stopwatch.GetElapsedTime(start).TotalMilliseconds, waitMs, copyMs, previous);
    }

    /// <summary>
    /// Waits until the arenas of the save last started are copied (call it before anything writes
    /// them: the optimizer's update); returns the milliseconds waited, 0 when the copy was done.
    /// </summary>
    public double WaitForCapture() => _staging.WaitCaptured();

    /// <summary>Waits for the save in flight and returns how it ended, or null when none was in flight.</summary>
    public SaveOutcome? WaitForSave() => _background.Wait();

    /// <summary>How the save in flight ended, if it has (once); null at once otherwise.</summary>
    public SaveOutcome? TakeFinishedSave() => _background.TakeIfFinished();

    /// <summary>
    /// Waits for any save in flight, then restores the newest intact checkpoint in
    /// <paramref name="directory"/> into the arenas and host variables (a missing or corrupt latest one
    /// is skipped and <paramref name="report"/> says why); returns its prefix, or null when there is none.
    /// </summary>
    public string? RestoreNewestIntact(string directory, Action<string> report)
    {
        _background.Wait();
        return _ranks is not null ? _ranks.RestoreNewestIntact(directory, report) : _saver.RestoreNewestIntact(directory, report);
    }

    /// <summary>Waits for the save in flight, then frees the staging buffers.</summary>
    public void Dispose()
    {
        _background.Dispose();
        _ranks?.Dispose();
        _staging.Dispose();
    }
}
