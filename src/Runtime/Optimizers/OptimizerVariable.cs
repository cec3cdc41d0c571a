using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// One tensor of optimizer state as a checkpoint sees it: its TF1 name (<c>dense/kernel/Adam</c>,
/// <c>beta1_power</c>) and where it lives.
/// </summary>
/// <param name="Name">The checkpoint name.</param>
/// <param name="Arena">The arena holding it.</param>
/// <param name="Slice">Its slice of <paramref name="Arena"/> (shape included).</param>
public sealed record OptimizerVariable(string Name, ParameterArena Arena, ArenaSlice Slice);
