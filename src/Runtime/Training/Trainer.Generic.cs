using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Optimizers;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The step owner: it holds the run's one global step and takes one training step at a time, the
/// same route for every model: clear the dense gradients, <see cref="ITrainable{TBatch}.ComputeGradients"/>
/// (forward, loss, backward), the <see cref="GradientStages"/> in order (a data-parallel allreduce,
/// then clipping), the optimizer's update, and the global step advances. It contributes
/// <c>global_step</c> to the checkpoint.
/// </summary>
/// <typeparam name="TBatch">What one step consumes.</typeparam>
public class Trainer<TBatch> : ITrainer
{
    private readonly HostVariable<long> _globalStep = new("global_step", DataType.DtInt64, []);

    /// <summary>Trains <paramref name="model"/> with <paramref name="optimizer"/>; <paramref name="stages"/> run between backward and the update.</summary>
    /// <param name="model">The model (updated in place).</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="seed">Seed of the run's random draws.</param>
    /// <param name="stages">Gradient stages, in order.</param>
    public Trainer(ITrainable<TBatch> model, Optimizer optimizer, ulong seed = 1, params IGradientStage[] stages)
    {
        Model = model;
        Optimizer = optimizer;
        Seed = seed;
        GradientStages = [.. stages];
        // The optimizer's slots must exist before a checkpoint lists them or a restore fills them.
        optimizer.Attach(model.Parameters);
    }

    /// <summary>The model being trained.</summary>
    public ITrainable<TBatch> Model { get; }

    ITrainable ITrainer.Model => Model;

    /// <inheritdoc />
    public Optimizer Optimizer { get; }

    /// <inheritdoc />
    public ulong Seed { get; }

    /// <inheritdoc />
    public long GlobalStep { get; set; }

    /// <summary>
    /// What runs between the backward pass and the update, in order. A data-parallel run inserts its
    /// gradient allreduce at index 0, before clipping sees the gradients.
    /// </summary>
    public List<IGradientStage> GradientStages { get; }

    /// <summary>
    /// The index in every step's global batch of this process's first example: 0 in one process; a
    /// data-parallel rank sets it so that per-example draws (dropout) match one process's.
    /// </summary>
    public long FirstExample { get; set; }

    /// <inheritdoc />
    public event Action? BeforeUpdate;

    /// <summary>The examples of every step's global batch: 0 in one process (the batch is the whole); set by a data-parallel rank.</summary>
    public int GlobalBatch { get; set; }

    /// <summary>When set, the trainer's own phases (zero_grad, each stage, the update) are timed into it.</summary>
    public StepProfile? Profile { get; set; }

    /// <summary>One optimization step on <paramref name="batch"/>; returns its loss.</summary>
    /// <exception cref="ArgumentException">The batch does not fit the model.</exception>
    public float Step(TBatch batch)
    {
        var device = Model.Device;
        var profile = Profile;
        long start = profile?.Start(device) ?? 0;
        Model.Gradients?.ClearDeferred();
        profile?.Stop(device, "zero_grad", start);
        float loss = Model.ComputeGradients(batch, new PassContext(Training: true, Seed, GlobalStep) { FirstExample = FirstExample, GlobalBatch = GlobalBatch });
        foreach (var stage in GradientStages)
        {
            start = profile?.Start(device) ?? 0;
            stage.Process(Model, GlobalStep);
            profile?.Stop(device, stage.GetType().Name, start);
        }
        if (BeforeUpdate is { } beforeUpdate)
        {
            start = profile?.Start(device) ?? 0;
            beforeUpdate();
            profile?.Stop(device, "before_update", start);
        }
        start = profile?.Start(device) ?? 0;
        Optimizer.Apply(Model, GlobalStep);
        profile?.Stop(device, "optimizer", start);
        if (profile is not null) profile.Steps++;
        GlobalStep++;
        return loss;
    }

    /// <inheritdoc />
    public IReadOnlyList<ICheckpointVariable> HostVariables => [_globalStep];

    /// <inheritdoc />
    public void CaptureHostState() => _globalStep.Value = GlobalStep;

    /// <inheritdoc />
    public void RestoreHostState()
    {
        if (_globalStep.Value < 0) throw new ArgumentException($"global_step {_globalStep.Value} is negative");
        GlobalStep = _globalStep.Value;
    }
}
