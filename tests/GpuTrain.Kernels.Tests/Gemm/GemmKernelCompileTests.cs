using System.Reflection;
using GpuTrain.Runtime.Gemm;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using GemmKernels = GpuTrain.Kernels.Gemm;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>
/// The tiled kernel must compile for the GPUs this machine does not have. Each compile gets a fresh
/// Context because a failed compile poisons the one it ran in.
/// </summary>
public sealed class GemmKernelCompileTests
{
    private static readonly MethodInfo Tiled = typeof(GemmKernels).GetMethod(nameof(GemmKernels.Tiled))!;

    [Fact]
    public void TiledKernelCompilesToPtx()
    {
        using var context = Context.CreateDefault();
        using var backend = new PTXBackend(context, CudaArchitecture.SM_75, CudaInstructionSet.ISA_75, null!);
        var kernel = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(Tiled), KernelSpecialization.Empty);
        Assert.Contains("bar.sync", kernel.PTXAssembly);
        Assert.Contains(".shared", kernel.PTXAssembly);
    }

    [Fact]
    public void TiledKernelCompilesToOpenCL()
    {
        using var context = Context.CreateDefault();
        using var backend = new CLBackend(context, new CLCapabilityContext(false, false, false, false, false),
            CLDeviceVendor.Other, CLCVersion.CL20);
        var kernel = (CLCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(Tiled), KernelSpecialization.Empty);
        Assert.Contains("barrier", kernel.Source);
        Assert.Contains("local", kernel.Source);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 4)]
    [InlineData(255, 15)]
    [InlineData(256, 16)]
    [InlineData(1024, 32)]
    [InlineData(2048, 32)]
    public void TileIsTheLargestSquareGroupUpToMaxTile(int maxThreadsPerGroup, int tile) =>
        Assert.Equal(tile, TiledGemmEngine.TileFor(maxThreadsPerGroup));
}
