using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Training;

/// <summary>
/// What the training core needs of any model: where it lives and its arenas. A model with dense
/// gradients keeps them in <see cref="Gradients"/> (the layout of <see cref="Parameters"/>), which the
/// <see cref="Trainer{TBatch}"/> clears before each step; a model whose loss leaves row-sparse gradients
/// (the sampled NCE) has none and is updated by a row-sparse optimizer.
/// </summary>
public interface ITrainable
{
    /// <summary>The device the arenas and kernels live on.</summary>
    Device Device { get; }

    /// <summary>Every trainable tensor, under its checkpoint name.</summary>
    ParameterArena Parameters { get; }

    /// <summary>The dense gradients, same layout as <see cref="Parameters"/>; null when the gradients are row-sparse.</summary>
    ParameterArena? Gradients { get; }
}

/// <summary>A model that computes the loss and gradients of one <typeparamref name="TBatch"/>.</summary>
/// <typeparam name="TBatch">What one step consumes (images and labels, word ids and targets, ...).</typeparam>
public interface ITrainable<in TBatch> : ITrainable
{
    /// <summary>
    /// Forward, loss and backward on <paramref name="batch"/>: parameter gradients accumulate into
    /// <see cref="ITrainable.Gradients"/> (cleared by the trainer) or the model's row-sparse gradients.
    /// Randomness (dropout masks, sampled candidates) is keyed by <paramref name="pass"/>'s seed and step.
    /// Returns the batch's loss.
    /// </summary>
    /// <exception cref="ArgumentException">The batch does not fit the model (sizes, ids, labels).</exception>
    float ComputeGradients(TBatch batch, Layers.PassContext pass);
}
