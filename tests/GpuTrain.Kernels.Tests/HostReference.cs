namespace GpuTrain.Kernels.Tests;

/// <summary>
/// Plain C# definitions of what each kernel computes, in double precision where that is cheap,
/// written independently of the kernels (no shared helpers) so a test compares two derivations.
/// </summary>
internal static class HostReference
{
    public static float[] Map(float[] x, Func<float, float> f) => x.Select(f).ToArray();

    public static float[] Zip(float[] a, float[] b, Func<float, float, float> f) => a.Zip(b, f).ToArray();

    public static float[] Zip3(float[] a, float[] b, float[] c, Func<float, float, float, float> f) =>
        Enumerable.Range(0, a.Length).Select(i => f(a[i], b[i], c[i])).ToArray();

    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-x)));

    public static float[] BiasAdd(float[] x, float[] bias) =>
        x.Select((v, i) => v + bias[i % bias.Length]).ToArray();

    public static float[] BiasGrad(float[] dy, int cols)
    {
        var sum = new double[cols];
        for (int i = 0; i < dy.Length; i++) sum[i % cols] += dy[i];
        return sum.Select(s => (float)s).ToArray();
    }

    public static float[] Softmax(float[] x, int cols)
    {
        var y = new float[x.Length];
        for (int r = 0; r < x.Length / cols; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            for (int c = 0; c < cols; c++) y[r * cols + c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return y;
    }

    /// <summary>Per-row cross-entropy -log softmax(x)[label], via log-sum-exp in double.</summary>
    public static float[] CrossEntropy(float[] x, int[] labels, int cols)
    {
        var loss = new float[labels.Length];
        for (int r = 0; r < labels.Length; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            loss[r] = (float)(max + Math.Log(sum) - row[labels[r]]);
        }
        return loss;
    }

    public static float[] Transpose(float[] x, int rows, int cols)
    {
        var y = new float[x.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                y[c * rows + r] = x[r * cols + c];
        return y;
    }

    /// <summary>
    /// Philox4x32-10 written from the Random123 definition, returning all four words of
    /// philox4x32(counter, key), to check GpuTrain.Kernels.Philox against the published answers.
    /// </summary>
    public static uint[] Philox4x32(uint[] counter, uint[] key)
    {
        uint[] c = (uint[])counter.Clone();
        uint k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
            ulong p0 = 0xD2511F53ul * c[0], p1 = 0xCD9E8D57ul * c[2];
            c = [(uint)(p1 >> 32) ^ c[1] ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c[3] ^ k1, (uint)p0];
        }
        return c;
    }
}
