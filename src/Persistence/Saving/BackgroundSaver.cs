using System.Diagnostics;

namespace GpuTrain.Persistence.Saving;

/// <summary>
/// Runs a <see cref="Saver"/>'s write-and-commit on a background task, one save at a time. The
/// caller stages the variables (copies their values where the background can read them), calls
/// <see cref="Wait"/> before staging again (back-pressure: host memory stays at one staged copy),
/// then <see cref="Start"/>. A failure never vanishes: it is the outcome the next <see cref="Wait"/>
/// returns, and <see cref="Dispose"/> waits for the last save so its outcome can still be read.
/// </summary>
public sealed class BackgroundSaver : IDisposable
{
    private readonly Saver _saver;
    private Task<SaveOutcome>? _running;

    /// <summary>Writes through <paramref name="saver"/>, whose variables must stay unchanged between <see cref="Start"/> and the next <see cref="Wait"/>.</summary>
    public BackgroundSaver(Saver saver) => _saver = saver;

    /// <summary>Waits for the save in flight and returns how it ended (once), or null when there was none.</summary>
    public SaveOutcome? Wait()
    {
        var running = _running;
        if (running is null) return null;
        _running = null;
        return running.GetAwaiter().GetResult();
    }

    /// <summary>How the save in flight ended (once) if it has ended, else null at once: a training loop polls it to report a save as soon as it is durable.</summary>
    public SaveOutcome? TakeIfFinished() => _running is { IsCompleted: true } ? Wait() : null;

    /// <summary>Starts writing <c>savePath-step</c> in the background.</summary>
    /// <exception cref="InvalidOperationException">A save is still in flight (call <see cref="Wait"/> first).</exception>
    public void Start(string savePath, long step)
    {
        if (_running is not null)
            throw new InvalidOperationException("a checkpoint save is still in flight; Wait for it before staging the next");
        _running = Task.Run(() => Write(savePath, step));
    }

    private SaveOutcome Write(string savePath, long step)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            string prefix = _saver.Save(savePath, step);
            return new SaveOutcome(step, prefix, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds, _saver.TotalBytes);
        }
        catch (Exception e)
        {
            // Whatever went wrong in the background becomes the outcome the training thread reads next.
            var error = new IOException($"checkpoint {savePath}-{step} was not saved: {e.Message}", e);
            return new SaveOutcome(step, null, error, Stopwatch.GetElapsedTime(start).TotalMilliseconds, _saver.TotalBytes);
        }
    }

    /// <summary>Waits for the save in flight; its outcome stays readable through <see cref="Wait"/>.</summary>
    public void Dispose() => (_running as IAsyncResult)?.AsyncWaitHandle.WaitOne();
}
