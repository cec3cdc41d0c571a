using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>
/// The fused BasicLSTMCell kernels against a float64 host cell: the forward values, and the backward
/// pass against central differences of the host cell's scalar loss sum(dh·h' + dc·c').
/// </summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class LstmCellTests(KernelTestDevice device)
{
    private const int Batch = 3, Units = 4;
    private const float ForgetBias = 0.7f;

    [DeviceFact]
    public void ForwardMatchesHostCell()
    {
        var d = device.Device;
        float[] gates = Values(Batch * 4 * Units, 70, scale: 2f), previous = Values(Batch * Units, 71);
        using var g = Upload(d, gates);
        using var p = Upload(d, previous);
        using var c = Upload(d, new float[Batch * Units]);
        using var h = Upload(d, new float[Batch * Units]);
        LstmOps.CellForward(d, g.View, p.View, Units, ForgetBias, c.View, h.View);
        var (expectedC, expectedH) = HostCell(gates.Select(v => (double)v).ToArray(), previous.Select(v => (double)v).ToArray());
        AssertClose(expectedC.Select(v => (float)v).ToArray(), Download(c), 1e-6f);
        AssertClose(expectedH.Select(v => (float)v).ToArray(), Download(h), 1e-6f);
    }

    [DeviceFact]
    public void BackwardMatchesFiniteDifferences()
    {
        var d = device.Device;
        float[] gates = Values(Batch * 4 * Units, 72, scale: 2f), previous = Values(Batch * Units, 73);
        float[] dh = Values(Batch * Units, 74), dcNext = Values(Batch * Units, 75);
        using var g = Upload(d, gates);
        using var p = Upload(d, previous);
        using var c = Upload(d, new float[Batch * Units]);
        using var h = Upload(d, new float[Batch * Units]);
        using var dH = Upload(d, dh);
        using var dC = Upload(d, (float[])dcNext.Clone());
        using var dG = Upload(d, new float[gates.Length]);
        LstmOps.CellForward(d, g.View, p.View, Units, ForgetBias, c.View, h.View);
        LstmOps.CellBackward(d, g.View, p.View, c.View, dH.View, Units, ForgetBias, dC.View, dG.View);

        double[] g64 = gates.Select(v => (double)v).ToArray(), p64 = previous.Select(v => (double)v).ToArray();
        double Loss(double[] gs, double[] ps)
        {
            var (cc, hh) = HostCell(gs, ps);
            double sum = 0;
            for (int i = 0; i < cc.Length; i++) sum += dh[i] * hh[i] + dcNext[i] * cc[i];
            return sum;
        }
        const double step = 1e-6;
        float[] dGates = Download(dG), dPrevious = Download(dC);
        for (int i = 0; i < g64.Length; i++)
            AssertDerivative($"gate {i}", Central(g64, i, step, v => Loss(v, p64)), dGates[i]);
        for (int i = 0; i < p64.Length; i++)
            AssertDerivative($"previous cell {i}", Central(p64, i, step, v => Loss(g64, v)), dPrevious[i]);
    }

    private static double Central(double[] x, int i, double step, Func<double[], double> f)
    {
        double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
        plus[i] += step;
        minus[i] -= step;
        return (f(plus) - f(minus)) / (2 * step);
    }

    private static void AssertDerivative(string what, double numeric, float kernel) =>
        Assert.True(Math.Abs(numeric - kernel) < 1e-5 * (1 + Math.Abs(numeric)), $"{what}: finite difference {numeric}, kernel {kernel}");

    /// <summary>TF's BasicLSTMCell.call in float64: i, j, f, o = split(gates); c' = c·σ(f + bias) + σ(i)·tanh(j); h' = tanh(c')·σ(o).</summary>
    private static (double[] Cell, double[] Hidden) HostCell(double[] gates, double[] previous)
    {
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        var cell = new double[Batch * Units];
        var hidden = new double[Batch * Units];
        for (int b = 0; b < Batch; b++)
            for (int k = 0; k < Units; k++)
            {
                int g = b * 4 * Units + k, s = b * Units + k;
                cell[s] = previous[s] * Sigmoid(gates[g + 2 * Units] + ForgetBias) + Sigmoid(gates[g]) * Math.Tanh(gates[g + Units]);
                hidden[s] = Math.Tanh(cell[s]) * Sigmoid(gates[g + 3 * Units]);
            }
        return (cell, hidden);
    }
}
