using GpuTrain.Runtime.Gemm;
using GpuTrain.Runtime.Tensors;
using ILGPU;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Layers;

/// <summary>
/// What layers bind to when a model is planned: the device, the arenas, the GEMM engine, and for
/// sequences the number of time steps. A sequence batch is time-major: the planned batch of rows is
/// <see cref="Steps"/> blocks of <c>batch / Steps</c> streams, step t's rows first-to-last in block t, so a
/// row-wise layer (Dense, Dropout, ReLU) applies over every time step unchanged and only a recurrent
/// layer (<see cref="Lstm"/>) reads the blocks as steps.
/// </summary>
/// <param name="Device">The accelerator.</param>
/// <param name="Parameters">The parameter arena (<c>conv1/kernel</c>, ...).</param>
/// <param name="Gradients">The gradient arena, same layout as <paramref name="Parameters"/>.</param>
/// <param name="GemmEngine">The GEMM engine of the device.</param>
public sealed record ModelContext(Device Device, ParameterArena Parameters, ParameterArena Gradients, IGemmEngine GemmEngine)
{
    /// <summary>Time steps per sequence in the planned batch (1: independent examples).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>
    /// C = alpha op(A) op(B) + beta C over densely stored row-major matrices (leading dimensions are
    /// the stored column counts), which is every matrix a layer hands over.
    /// </summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c) =>
        GemmEngine.Gemm(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
}
