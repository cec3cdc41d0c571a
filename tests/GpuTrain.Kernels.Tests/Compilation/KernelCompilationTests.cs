using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuTrain.Kernels.Tests.Compilation;

/// <summary>
/// Compiles every kernel (see <see cref="KernelCatalog"/>) to PTX and to OpenCL C without any
/// device, so a kernel that only the CPU accelerator accepts (classes, allocation, exceptions,
/// unsupported intrinsics) fails here rather than on a user's GPU. Each compile gets a fresh
/// Context because a failed compile leaves its context unusable. When GPUTRAIN_PTX_DIR is set the
/// PTX is also written there (scripts/check-ptx.sh runs ptxas on it).
/// </summary>
public sealed class KernelCompilationTests
{
    public static TheoryData<string> KernelNames => [.. KernelCatalog.Kernels.Keys.Order()];

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void CompilesToPtx(string kernel)
    {
        using var context = CreateContext();
        // sm_75 with PTX ISA 7.5: within what ptxas 11.8 (ISA 7.8 at most) accepts.
        using var backend = new PTXBackend(context, CudaArchitecture.SM_75, CudaInstructionSet.ISA_75, null!);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty);

        Assert.Contains(".entry", compiled.PTXAssembly);
        if (Environment.GetEnvironmentVariable("GPUTRAIN_PTX_DIR") is { Length: > 0 } dir)
            File.WriteAllText(Path.Combine(dir, FileName(kernel) + ".ptx"), compiled.PTXAssembly);
    }

    /// <summary>
    /// OpenCL C 2.0 with the capabilities of a modest GPU: generic address space, but no fp16,
    /// fp64 (absent on many Intel GPUs), 64-bit atomics or subgroups.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelNames))]
    public void CompilesToOpenCL(string kernel)
    {
        using var context = CreateContext();
        var capabilities = new CLCapabilityContext(float16: false, float64: false, genericAddressSpace: true,
            int64_Atomics: false, subGroups: false);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        var compiled = (CLCompiledKernel)backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty);

        Assert.Contains("kernel", compiled.Source);
    }

    [Fact]
    public void CatalogFindsTheKernelFamilies()
    {
        var names = KernelCatalog.Kernels.Keys.ToHashSet();
        Assert.Contains("Elementwise.Add", names);
        Assert.Contains("Softmax.CrossEntropy", names);
        Assert.Contains("RandomFill.Normal", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Philox.", StringComparison.Ordinal));
    }

    /// <summary>
    /// A kernel-shaped method (public, static, void, taking an ArrayView) that is neither indexed nor
    /// marked would escape the compile check: an explicitly grouped kernel must carry
    /// [ExplicitlyGroupedKernel]. Device helpers that return a value are not kernels and pass.
    /// </summary>
    [Fact]
    public void EveryKernelShapedMethodIsChecked()
    {
        var unchecked_ = KernelCatalog.PublicStaticMethods()
            .Where(m => m.ReturnType == typeof(void) && m.GetParameters().Any(p => IsView(p.ParameterType)))
            .Where(m => !KernelCatalog.IsImplicitlyGrouped(m) && !KernelCatalog.IsExplicitlyGrouped(m))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");
        Assert.Empty(unchecked_);
    }

    private static bool IsView(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().Name.StartsWith("ArrayView", StringComparison.Ordinal);

    private static Context CreateContext() => Context.Create(b => b.EnableAlgorithms());

    private static EntryPointDescription EntryPoint(string kernel)
    {
        MethodInfo method = KernelCatalog.Kernels[kernel];
        return KernelCatalog.IsExplicitlyGrouped(method)
            ? EntryPointDescription.FromExplicitlyGroupedKernel(method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(method);
    }

    private static string FileName(string kernel) =>
        string.Concat(kernel.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_'));
}
