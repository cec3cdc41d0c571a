using System.Diagnostics;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Wall time per phase of a training step (each layer's forward and backward, the loss, the
/// optimizer, the upload), summed over the steps taken while it is attached to a model
/// (<see cref="Models.Sequential.Profile"/>). Each phase waits for the device before and after, so
/// the figures are exact but the step runs without overlap: profile, then detach to train.
/// </summary>
public sealed class StepProfile
{
    private readonly Dictionary<string, double> _totalMs = [];
    private readonly List<string> _order = [];

    /// <summary>Steps recorded (counted by the trainer).</summary>
    public int Steps { get; internal set; }

    /// <summary>The phases in the order first seen, with their total milliseconds.</summary>
    public IEnumerable<(string Phase, double TotalMs)> Phases => _order.Select(p => (p, _totalMs[p]));

    /// <summary>Waits for the device and returns the start time of a phase, for <see cref="Stop"/>.</summary>
    public long Start(Device device)
    {
        device.Synchronize();
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Waits for the device and adds the time since <paramref name="start"/> to phase <paramref name="name"/>.</summary>
    public void Stop(Device device, string name, long start)
    {
        device.Synchronize();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (_totalMs.TryAdd(name, ms)) _order.Add(name);
        else _totalMs[name] += ms;
    }
}
