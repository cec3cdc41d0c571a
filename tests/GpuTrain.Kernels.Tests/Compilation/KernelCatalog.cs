using System.Reflection;
using ILGPU;

namespace GpuTrain.Kernels.Tests.Compilation;

/// <summary>
/// Every kernel of the GpuTrain.Kernels assembly, found by reflection so a new kernel is checked
/// without being listed anywhere: a public static method whose first parameter is an ILGPU index
/// (implicitly grouped), or one marked <see cref="ExplicitlyGroupedKernelAttribute"/>.
/// </summary>
internal static class KernelCatalog
{
    private static readonly HashSet<Type> IndexTypes =
    [
        typeof(Index1D), typeof(Index2D), typeof(Index3D),
        typeof(LongIndex1D), typeof(LongIndex2D), typeof(LongIndex3D),
    ];

    public static Assembly Assembly => typeof(Philox).Assembly;

    /// <summary>Kernels by display name (<c>Type.Method</c>, with parameter types when overloaded).</summary>
    public static IReadOnlyDictionary<string, MethodInfo> Kernels { get; } = Discover();

    /// <summary>Public static methods of the assembly, from every public type.</summary>
    public static IEnumerable<MethodInfo> PublicStaticMethods() =>
        Assembly.GetExportedTypes().SelectMany(t =>
            t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly));

    public static bool IsImplicitlyGrouped(MethodInfo method)
    {
        var parameters = method.GetParameters();
        return parameters.Length > 0 && IndexTypes.Contains(parameters[0].ParameterType);
    }

    public static bool IsExplicitlyGrouped(MethodInfo method) =>
        method.IsDefined(typeof(ExplicitlyGroupedKernelAttribute), inherit: false);

    private static Dictionary<string, MethodInfo> Discover()
    {
        var kernels = PublicStaticMethods().Where(m => IsImplicitlyGrouped(m) || IsExplicitlyGrouped(m)).ToList();
        return kernels.ToDictionary(m =>
        {
            string name = $"{m.DeclaringType!.Name}.{m.Name}";
            bool overloaded = kernels.Count(k => k.DeclaringType == m.DeclaringType && k.Name == m.Name) > 1;
            return overloaded
                ? $"{name}({string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name))})"
                : name;
        });
    }
}
