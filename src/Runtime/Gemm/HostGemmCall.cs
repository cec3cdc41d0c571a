namespace GpuTrain.Runtime.Gemm;

/// <summary>
/// One GEMM call on host pointers, as the blocked driver sees it. <paramref name="bias"/>, when given,
/// is a row of n floats added to every row of the finished C (<c>C = (alpha op(A) op(B) + beta C) + bias</c>,
/// rounded exactly as a separate bias pass after the GEMM would round it).
/// </summary>
internal readonly unsafe struct HostGemmCall(
    bool transA, bool transB, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc,
    float* bias = null)
{
    public bool TransA { get; } = transA;
    public bool TransB { get; } = transB;
    public int K { get; } = k;
    public float Alpha { get; } = alpha;
    public float* A { get; } = a;
    public nint Lda { get; } = lda;
    public float* B { get; } = b;
    public nint Ldb { get; } = ldb;
    public float Beta { get; } = beta;
    public float* C { get; } = c;
    public nint Ldc { get; } = ldc;
    public float* Bias { get; } = bias;
}
