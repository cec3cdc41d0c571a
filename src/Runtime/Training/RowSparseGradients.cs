using GpuTrain.Kernels;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// The gradients a sampled loss (<see cref="Losses.NceLoss"/>) left for the rows its last step touched:
/// the embedding rows of the inputs and the weight rows and biases of the labels and candidates, in
/// the factored form the loss computed them (logit gradients and gathered rows, duplicate rows
/// linked). Only an optimizer reads them (<see cref="Optimizers.RowSparseSgd"/>); they are valid
/// until the loss's next step.
/// </summary>
public sealed class RowSparseGradients
{
    internal RowSparseGradients(Device device, NceViews views)
    {
        Device = device;
        Views = views;
        Applied = views;
    }

    /// <summary>The device the rows and gradients live on.</summary>
    public Device Device { get; }

    /// <summary>The tables, the step's work buffers and the gradients in them.</summary>
    internal NceViews Views { get; }

    /// <summary>
    /// What the optimizer applies: <see cref="Views"/>, or, after a data-parallel stage gathered every
    /// rank's rows (<see cref="Distributed.GatheredRowGradients"/>), the global batch's.
    /// </summary>
    internal NceViews Applied { get; set; }

    /// <summary>When set, the update is timed into it as the phase <c>sgd</c> and counted as a step.</summary>
    internal StepProfile? Profile { get; set; }
}
