using GpuTrain.Runtime.Optimizers;
using GpuTrain.Runtime.Training;

namespace GpuTrain.Runtime.Language;

/// <summary>
/// One ptb_word_lm training step at a time: forward with dropout, the cost's gradients, global-norm
/// clipping at max_grad_norm, and plain SGD at the tutorial's epoch schedule. The training graph's
/// LSTM state carries from step to step; <see cref="StartEpoch"/> zeroes it.
/// </summary>
public sealed class LstmTrainer : IDisposable
{
    private readonly GlobalNormClipping _clipping;

    /// <summary>Trains <paramref name="model"/> on batches of config.BatchSize x config.NumSteps.</summary>
    /// <param name="model">The parameters (updated in place).</param>
    /// <param name="stepsPerEpoch">Batches per training epoch (for the learning-rate schedule).</param>
    /// <param name="seed">Seed of the dropout masks.</param>
    public LstmTrainer(LstmLanguageModel model, long stepsPerEpoch, ulong seed)
    {
        Model = model;
        Seed = seed;
        Graph = new LstmUnroll(model, model.Config.BatchSize, model.Config.NumSteps, trainable: true);
        Optimizer = new Sgd(new PtbLearningRate(model.Config, stepsPerEpoch));
        _clipping = new GlobalNormClipping(model.Device, model.Config.MaxGradNorm);
    }

    /// <summary>The model.</summary>
    public LstmLanguageModel Model { get; }

    /// <summary>The training graph (its state is the carried LSTM state).</summary>
    public LstmUnroll Graph { get; }

    /// <summary>SGD; its step is the global step.</summary>
    public Sgd Optimizer { get; }

    /// <summary>The dropout seed.</summary>
    public ulong Seed { get; }

    /// <summary>Steps taken (TF's global_step).</summary>
    public long GlobalStep
    {
        get => Optimizer.Step;
        set => Optimizer.Step = value;
    }

    /// <summary>The learning rate of the next step.</summary>
    public float LearningRate => Optimizer.LearningRate.At(GlobalStep);

    /// <summary>The global gradient norm of the last step, before clipping.</summary>
    public float LastGradientNorm { get; private set; }

    /// <summary>When set, the step's phases (the graph's and zero_grad, clip, sgd) are timed into it.</summary>
    public StepProfile? Profile
    {
        get => Graph.Profile;
        set => Graph.Profile = value;
    }

    /// <summary>Zeroes the carried state, as the tutorial does at the start of each epoch.</summary>
    public void StartEpoch() => Graph.ResetState();

    /// <summary>One update on a [batch, steps] batch; returns its cost (summed over steps, mean over the batch).</summary>
    public float Step(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        var device = Model.Device;
        long start = Profile?.Start(device) ?? 0;
        Model.Gradients.Clear();
        Profile?.Stop(device, "zero_grad", start);
        float cost = Graph.Forward(inputs, targets, training: true, Seed, GlobalStep);
        Graph.Backward();
        start = Profile?.Start(device) ?? 0;
        LastGradientNorm = _clipping.Apply(Model.Gradients);
        Profile?.Stop(device, "clip", start);
        start = Profile?.Start(device) ?? 0;
        Optimizer.Apply(Model.Parameters, Model.Gradients);
        Profile?.Stop(device, "sgd", start);
        if (Profile is not null) Profile.Steps++;
        return cost;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Graph.Dispose();
        Optimizer.Dispose();
        _clipping.Dispose();
    }
}
