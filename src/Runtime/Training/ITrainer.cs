using GpuTrain.Runtime.Optimizers;

namespace GpuTrain.Runtime.Training;

/// <summary>The step owner as observers and checkpoints see it, whatever the batch type.</summary>
public interface ITrainer : IHostState
{
    /// <summary>Steps taken (TF's <c>global_step</c>); the next step's number. The only global step of a run.</summary>
    long GlobalStep { get; set; }

    /// <summary>Seed of the run's counter-based random draws (dropout masks, sampled candidates).</summary>
    ulong Seed { get; }

    /// <summary>The model being trained.</summary>
    ITrainable Model { get; }

    /// <summary>The update rule.</summary>
    Optimizer Optimizer { get; }

    /// <summary>
    /// Raised in every step just before the optimizer writes the parameters and its slots (after the
    /// forward and backward passes, which only read them): a checkpoint whose staging copy of them
    /// is still running waits here.
    /// </summary>
    event Action? BeforeUpdate;
}
