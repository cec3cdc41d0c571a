namespace GpuTrain.Kernels.Tests.Gemm;

/// <summary>The authority the engines are checked against: a float64 triple loop, plus the error each result may carry.</summary>
internal static class GemmReference
{
    /// <summary>alpha op(A) op(B) + beta C in double, with the magnitude alpha |op(A)| |op(B)| + |beta C| per element.</summary>
    public static (double[] Value, double[] Magnitude) Compute(bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var value = new double[c.Length];
        var magnitude = new double[c.Length];
        for (int i = 0; i < c.Length; i++) value[i] = c[i];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0, abs = 0;
            for (int p = 0; p < k; p++)
            {
                double x = transA ? a[p * lda + i] : a[i * lda + p];
                double y = transB ? b[j * ldb + p] : b[p * ldb + j];
                sum += x * y;
                abs += Math.Abs(x * y);
            }
            int at = i * ldc + j;
            double old = beta == 0f ? 0 : (double)beta * c[at];
            value[at] = alpha * sum + old;
            magnitude[at] = Math.Abs(alpha) * abs + Math.Abs(old);
        }
        return (value, magnitude);
    }

    /// <summary>
    /// The tolerance, stated: |result - exact| &lt;= (k + 2) * 2^-23 * magnitude + 1e-30, twice the classical
    /// a-priori bound k u |A||B| (u = 2^-24) for a float dot product of length k, plus the alpha/beta step.
    /// </summary>
    public static double Tolerance(int k, double magnitude) => (k + 2) * Math.Pow(2, -23) * magnitude + 1e-30;
}
