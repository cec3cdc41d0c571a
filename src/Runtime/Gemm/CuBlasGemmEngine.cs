using GpuTrain.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// GEMM through NVIDIA's cuBLAS (ILGPU.Algorithms' <see cref="CuBlas"/>), on the accelerator's default
/// stream. cuBLAS is column-major; a row-major m x n C is the column-major n x m C^T, and
/// C^T = op(B)^T op(A)^T, so the call swaps the operands (B first, A second) and m with n, keeping
/// each operand's own transpose flag and leading dimension.
/// </summary>
internal sealed class CuBlasGemmEngine : IGemmEngine
{
    private readonly CuBlas _blas;

    /// <summary>Creates the cuBLAS handle for a CUDA device.</summary>
    /// <exception cref="ArgumentException">The device is not a CUDA device.</exception>
    public CuBlasGemmEngine(Device device)
    {
        if (device.Kind != DeviceKind.Cuda || device.Accelerator is not CudaAccelerator cuda)
            throw new ArgumentException($"cuBLAS needs a CUDA device, got {device.Kind} ({device.Info.Name}).", nameof(device));
        _blas = new CuBlas(cuda) { PointerMode = CuBlasPointerMode.Host };
    }

    /// <inheritdoc />
    public string Name => "cublas";

    /// <inheritdoc />
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        _blas.Gemm(transB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            transA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
    }

    /// <inheritdoc />
    public void Dispose() => _blas.Dispose();
}
