using GpuTrain.Persistence.Variables;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// Named host values that a part of a run contributes to its checkpoint, beside the arenas: the
/// trainer's <c>global_step</c>, a data source's cursor (<c>data/epoch</c>, <c>data/position</c>, ...), a
/// model's carried state (<c>Model/state/cell_0/c</c>). A <see cref="Checkpointing.Checkpoint"/>
/// captures them on the training thread when a save starts and puts them back after a restore.
/// </summary>
public interface IHostState
{
    /// <summary>The variables, each under its checkpoint name; the same objects for the part's lifetime.</summary>
    IReadOnlyList<ICheckpointVariable> HostVariables { get; }

    /// <summary>Copies the live state into <see cref="HostVariables"/> (a save is starting).</summary>
    void CaptureHostState();

    /// <summary>Applies the values just restored into <see cref="HostVariables"/> to the live state.</summary>
    /// <exception cref="ArgumentException">A restored value is out of range for this part.</exception>
    void RestoreHostState();
}
