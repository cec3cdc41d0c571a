namespace GpuTrain.Perf;

/// <summary>One model's training step on synthetic data with the tutorial's shapes, for <see cref="ModelBench"/>.</summary>
public interface IStepWorkload : IDisposable
{
    /// <summary>One training step (forward, backward, update), finished on the device when it returns.</summary>
    void Step();

    /// <summary>The FLOP of one step counted from the model's shapes (<see cref="StepFlops"/>).</summary>
    double FlopsPerStep { get; }
}
