using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Tensors;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Layers;

/// <summary>What layers bind to when a model is planned: the device, the arenas and the GEMM engine.</summary>
/// <param name="Device">The accelerator.</param>
/// <param name="Parameters">The parameter arena (<c>conv1/kernel</c>, ...).</param>
/// <param name="Gradients">The gradient arena, same layout as <paramref name="Parameters"/>.</param>
/// <param name="Gemm">The GEMM engine of the device.</param>
public sealed record ModelContext(Device Device, ParameterArena Parameters, ParameterArena Gradients, IGemmEngine Gemm);
