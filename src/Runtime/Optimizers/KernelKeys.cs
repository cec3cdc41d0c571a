using System.Reflection;
using OptimizerKernels = GpuTrain.Kernels.Optimizers;

namespace GpuTrain.Runtime.Optimizers;

/// <summary>
/// The optimizer kernels' methods, used as their keys in the device's kernel cache: unique across
/// kernel families (a bare name such as "Scale" could collide) and allocated once, not per step.
/// </summary>
internal static class KernelKeys
{
    public static readonly MethodInfo Sgd = Of(nameof(OptimizerKernels.Sgd));
    public static readonly MethodInfo Momentum = Of(nameof(OptimizerKernels.Momentum));
    public static readonly MethodInfo Adam = Of(nameof(OptimizerKernels.Adam));
    public static readonly MethodInfo AdvanceAdamPowers = Of(nameof(OptimizerKernels.AdvanceAdamPowers));
    public static readonly MethodInfo Adagrad = Of(nameof(OptimizerKernels.Adagrad));
    public static readonly MethodInfo Scale = Of(nameof(OptimizerKernels.Scale));

    private static MethodInfo Of(string name) => typeof(OptimizerKernels).GetMethod(name)!;
}
