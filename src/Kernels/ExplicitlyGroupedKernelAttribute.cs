namespace GpuTrain.Kernels;

/// <summary>
/// Marks an explicitly grouped kernel (one that takes no index parameter and reads
/// <c>Grid</c>/<c>Group</c> itself, e.g. to use shared memory). Implicitly grouped kernels, whose
/// first parameter is an ILGPU index, are found without a mark; this attribute lets the compile
/// check (PTX and OpenCL C for every kernel) find the explicit ones too.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ExplicitlyGroupedKernelAttribute : Attribute;
