using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Tensors;

namespace GpuTrain.Runtime.Checkpointing;

/// <summary>Checkpoint variables for whole arenas, named with TF1 Saver conventions.</summary>
internal static class ArenaVariables
{
    /// <summary>
    /// One variable per slice of <paramref name="arena"/>, named <c>slice name + suffix</c>: no suffix for
    /// parameters, <c>/Adam</c> and <c>/Adam_1</c> for Adam's m and v arenas (TF1's slot names).
    /// </summary>
    public static IEnumerable<ICheckpointVariable> Of(ParameterArena arena, string nameSuffix = "") =>
        arena.Layout.Slices.Select(s => (ICheckpointVariable)new ArenaVariable(arena, s, s.Name + nameSuffix));
}
