using GpuTrain.Runtime.Layers;
using GpuTrain.Runtime.Models;
using GpuTrain.Runtime.Tensors;
using ILGPU.Runtime;
using Device = GpuTrain.Runtime.Devices.Device;

namespace GpuTrain.Runtime.Tests.Layers;

/// <summary>
/// Checks a layer's Backward against centered finite differences of its Forward on the device.
/// The scalar probed is L = Σ r ⊙ Y for fixed random r, so dL/dY = r; L is summed in float64 on the
/// host. With float32 activations of order 1, a step of 1e-2 keeps both the rounding error
/// (~1e-7·|L|/h) and the truncation error (~h²) below the 2e-3 tolerance, provided the inputs keep
/// ReLU and max-pool away from their kinks, which the callers' inputs do. At most
/// <see cref="ProbesPerTensor"/> entries of each tensor are probed, spread over it (every entry of the
/// small ones), which keeps the check to a few hundred forward passes.
/// </summary>
internal static class GradientCheck
{
    private const float H = 1e-2f;
    private const int ProbesPerTensor = 16;

    private static IEnumerable<long> Probes(long size) =>
        size <= ProbesPerTensor ? Enumerable.Range(0, (int)size).Select(i => (long)i)
        : Enumerable.Range(0, ProbesPerTensor).Select(i => i * (size - 1) / (ProbesPerTensor - 1));

    /// <summary>
    /// Checks <paramref name="layer"/> on <paramref name="batch"/> examples, or on time-major sequences of
    /// <paramref name="steps"/> steps; <paramref name="beforeForward"/> runs before every forward pass
    /// (a recurrent layer resets its carried state there, so every pass starts from the same state).
    /// </summary>
    public static void Run(Device device, int[] inputShape, int batch, Layer layer, float[] input, double tolerance = 2e-3,
        int steps = 1, Action? beforeForward = null)
    {
        using var model = new Sequential(device, inputShape, seed: 3, layer);
        model.Plan(batch, steps);
        var pass = new PassContext(Training: true, Seed: 5, Step: 7);
        var rng = new Random(11);
        float[] r = Enumerable.Range(0, (int)(model.Rows * model.OutputShape.Size)).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] x = (float[])input.Clone();
        var y = new float[r.Length];

        double Loss()
        {
            model.Input.CopyFromCPU(x);
            beforeForward?.Invoke();
            model.Forward(pass);
            model.Output.CopyToCPU(y);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)y[i] * r[i];
            return sum;
        }

        Loss();
        model.OutputGrad.CopyFromCPU(r);
        model.Gradients.Clear();
        model.Backward(pass, inputGradient: true);
        var dx = new float[x.Length];
        model.InputGrad.CopyToCPU(dx);
        float[] grads = model.Gradients.DownloadAll();

        foreach (int i in Probes(x.Length))
        {
            float saved = x[i];
            x[i] = saved + H;
            double plus = Loss();
            x[i] = saved - H;
            double minus = Loss();
            x[i] = saved;
            AssertClose((plus - minus) / (2 * H), dx[i], tolerance, $"{layer.Name} input[{i}]");
        }

        float[] theta = model.Parameters.DownloadAll();
        foreach (var slice in model.Parameters.Layout.Slices)
        {
            foreach (long j in Probes(slice.Size).Select(p => slice.Offset + p))
            {
                float saved = theta[j];
                theta[j] = saved + H;
                model.Parameters.View.CopyFromCPU(theta);
                double plus = Loss();
                theta[j] = saved - H;
                model.Parameters.View.CopyFromCPU(theta);
                double minus = Loss();
                theta[j] = saved;
                AssertClose((plus - minus) / (2 * H), grads[j], tolerance, $"{slice.Name}[{j - slice.Offset}]");
            }
        }
        model.Parameters.View.CopyFromCPU(theta);

        // Convention: a second Backward adds to parameter gradients but overwrites the input gradient.
        Loss();
        model.OutputGrad.CopyFromCPU(r);
        model.Backward(pass, inputGradient: true);
        var dx2 = new float[x.Length];
        model.InputGrad.CopyToCPU(dx2);
        float[] grads2 = model.Gradients.DownloadAll();
        Assert.Equal(dx, dx2);
        for (int j = 0; j < grads.Length; j++)
            Assert.Equal(2 * grads[j], grads2[j], 1e-5f + 1e-5f * Math.Abs(grads[j]));
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        if (Math.Abs(expected - actual) > tolerance * (1 + Math.Abs(expected)))
            Assert.Fail($"{what}: finite difference {expected:G6}, backward {actual:G6}");
    }

    /// <summary>Values in ±[0.1, 1.1] in random order, pairwise at least 2H apart: far from ReLU's kink and max-pool ties.</summary>
    public static float[] DistinctInputs(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => (i % 2 == 0 ? 1f : -1f) * (0.1f + i / (float)count))
            .OrderBy(_ => rng.Next())
            .ToArray();
    }
}
