using GpuTrain.Runtime.Gemm;
using ILGPU;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>One GEMM on an engine against the float64 reference, element by element.</summary>
internal static class GemmCheck
{
    public static void AgainstReference(IGemmEngine engine, Device device, string label, bool transA, bool transB,
        int m, int n, int k, float alpha, float beta, int pad)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        var a = Random(Math.Max(1, (transA ? k : m) * lda), 11);
        var b = Random(Math.Max(1, (transB ? n : k) * ldb), 12);
        var c = Random(m * ldc, 13);
        var (expected, magnitude) = GemmReference.Compute(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        using var da = device.Accelerator.Allocate1D(a);
        using var db = device.Accelerator.Allocate1D(b);
        using var dc = device.Accelerator.Allocate1D(c);
        engine.Gemm(transA, transB, m, n, k, alpha, da.View, lda, db.View, ldb, beta, dc.View, ldc);
        device.Synchronize();
        var actual = dc.GetAsArray1D();

        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = GemmReference.Tolerance(k, magnitude[i]);
            if (Math.Abs(actual[i] - expected[i]) > tolerance)
                Assert.Fail($"{label} tA={transA} tB={transB} {m}x{n}x{k}: C[{i / ldc},{i % ldc}] = {actual[i]}, " +
                            $"expected {expected[i]} within {tolerance:g3}");
        }
    }

    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
