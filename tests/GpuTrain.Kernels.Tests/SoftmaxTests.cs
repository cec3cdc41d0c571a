using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>Softmax and softmax cross-entropy against double-precision host references and finite differences.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class SoftmaxTests(KernelTestDevice device)
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 7, 10 }, { 33, 5 }, { 3, 1000 }, { 2, 4097 } };

    [DeviceTheory]
    [MemberData(nameof(Shapes))]
    public void RowSoftmaxMatchesHost(int rows, int cols)
    {
        var d = device.Device;
        float[] x = Values(rows * cols, 50, scale: 10f);
        using var dx = Upload(d, x);
        using var y = Upload(d, new float[x.Length]);
        SoftmaxOps.Rows(d, dx.View, cols, y.View);
        AssertClose(HostReference.Softmax(x, cols), Download(y), 1e-5f);
    }

    [DeviceTheory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyAndGradientMatchHost(int rows, int cols)
    {
        var d = device.Device;
        float[] x = Values(rows * cols, 51, scale: 10f);
        int[] labels = Enumerable.Range(0, rows).Select(r => (r * 7 + 3) % cols).ToArray();
        var (probs, loss, grad) = Run(x, labels, cols);

        var expectedProbs = HostReference.Softmax(x, cols);
        AssertClose(expectedProbs, probs, 1e-5f);
        AssertClose(HostReference.CrossEntropy(x, labels, cols), loss, 1e-5f);
        var expectedGrad = expectedProbs.Select((p, i) => (p - (labels[i / cols] == i % cols ? 1f : 0f)) / rows).ToArray();
        AssertClose(expectedGrad, grad, 1e-5f);
    }

    /// <summary>
    /// The gradient kernel against central differences of the forward kernel's mean loss
    /// (step 1e-2 in float: truncation and rounding both stay below 2e-3 absolute).
    /// </summary>
    [DeviceFact]
    public void GradientMatchesFiniteDifferences()
    {
        const int rows = 3, cols = 5;
        const float h = 1e-2f;
        float[] x = Values(rows * cols, 52, scale: 2f);
        int[] labels = [4, 0, 2];
        var (_, _, grad) = Run(x, labels, cols);
        for (int i = 0; i < x.Length; i++)
        {
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (MeanLoss(plus, labels, cols) - MeanLoss(minus, labels, cols)) / (2 * h);
            Assert.True(Math.Abs(numeric - grad[i]) < 2e-3, $"logit {i}: finite difference {numeric}, kernel {grad[i]}");
        }
    }

    [DeviceFact]
    public void HugeLogitsStayFinite()
    {
        float[] x = [1e4f, -1e4f, 0f, 1e4f - 1f, -1e4f, 1e4f, -1e4f, -1e4f, 1e4f];
        int[] labels = [1, 0, 2];
        var (probs, loss, grad) = Run(x, labels, 3);
        Assert.All(probs.Concat(loss).Concat(grad), v => Assert.True(float.IsFinite(v), $"{v} is not finite"));
        AssertClose(HostReference.CrossEntropy(x, labels, 3), loss, 1e-6f);
        Assert.Equal(2e4f, loss[0], 1e-2f);
    }

    private double MeanLoss(float[] x, int[] labels, int cols) => Run(x, labels, cols).Loss.Average(v => (double)v);

    private (float[] Probs, float[] Loss, float[] Grad) Run(float[] x, int[] labels, int cols)
    {
        var d = device.Device;
        using var dx = Upload(d, x);
        using var dl = Upload(d, labels);
        using var probs = Upload(d, new float[x.Length]);
        using var loss = Upload(d, new float[labels.Length]);
        using var grad = Upload(d, new float[x.Length]);
        SoftmaxOps.CrossEntropy(d, dx.View, dl.View, cols, probs.View, loss.View);
        SoftmaxOps.CrossEntropyGrad(d, probs.View, dl.View, cols, grad.View);
        return (Download(probs), Download(loss), Download(grad));
    }
}
