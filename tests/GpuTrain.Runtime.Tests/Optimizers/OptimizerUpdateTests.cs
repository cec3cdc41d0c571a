using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Optimizers;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Optimizers;

/// <summary>Each optimizer against a host transcription of TensorFlow's update over five steps (SGD and Adam on both CPU paths: their kernels and their host twins).</summary>
[Trait("Category", TestDevice.Category)]
public sealed class OptimizerUpdateTests
{
    private const int Steps = 5;

    [DeviceTheory]
    [InlineData(CpuKernelExecution.HostThreads)]
    [InlineData(CpuKernelExecution.Emulator)]
    public void SgdMatchesHostReference(CpuKernelExecution execution)
    {
        using var f = new OptimizerFixture(execution);
        using var sgd = new Sgd(0.1f);
        Assert.True(!TestDevice.IsCpu || f.Layout.TotalSize > f.Device.Accelerator.MaxNumThreads, "the grid-stride loops must be exercised");
        float[] p = f.Values(f.Parameters);
        for (int step = 0; step < Steps; step++)
        {
            float[] g = f.UploadGradients(step);
            sgd.Apply(f.Parameters, f.Gradients, step);
            for (int i = 0; i < p.Length; i++) p[i] -= g[i] * 0.1f;
        }
        OptimizerFixture.AssertClose(p, f.Values(f.Parameters));
        Assert.Empty(sgd.Variables);
    }

    [DeviceTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void MomentumMatchesHostReference(bool nesterov)
    {
        using var f = new OptimizerFixture();
        using var momentum = new Momentum(0.05f, 0.9f, nesterov);
        float[] p = f.Values(f.Parameters), accum = new float[p.Length];
        for (int step = 0; step < Steps; step++)
        {
            float[] g = f.UploadGradients(step);
            momentum.Apply(f.Parameters, f.Gradients, step);
            for (int i = 0; i < p.Length; i++)
            {
                accum[i] = accum[i] * 0.9f + g[i];
                p[i] -= nesterov ? g[i] * 0.05f + accum[i] * 0.9f * 0.05f : accum[i] * 0.05f;
            }
        }
        OptimizerFixture.AssertClose(p, f.Values(f.Parameters));
        OptimizerFixture.AssertClose(accum, SlotValues(f, momentum, "Momentum"));
    }

    [DeviceTheory]
    [InlineData(CpuKernelExecution.HostThreads)]
    [InlineData(CpuKernelExecution.Emulator)]
    public void AdamMatchesHostReferenceWithTfBiasCorrection(CpuKernelExecution execution)
    {
        using var f = new OptimizerFixture(execution);
        using var adam = new Adam(0.01f);
        const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        float[] p = f.Values(f.Parameters), m = new float[p.Length], v = new float[p.Length];
        float b1Power = b1, b2Power = b2;
        for (int step = 0; step < Steps; step++)
        {
            float[] g = f.UploadGradients(step);
            adam.Apply(f.Parameters, f.Gradients, step);
            float lrT = 0.01f * MathF.Sqrt(1 - b2Power) / (1 - b1Power);
            for (int i = 0; i < p.Length; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                p[i] -= m[i] * lrT / (MathF.Sqrt(v[i]) + eps);
            }
            b1Power *= b1;
            b2Power *= b2;
        }
        OptimizerFixture.AssertClose(p, f.Values(f.Parameters));
        OptimizerFixture.AssertClose(m, SlotValues(f, adam, "Adam"));
        OptimizerFixture.AssertClose(v, SlotValues(f, adam, "Adam_1"));
        Assert.Equal(b1Power, Scalar(adam, "beta1_power"));
        Assert.Equal(b2Power, Scalar(adam, "beta2_power"));
    }

    [DeviceFact]
    public void AdagradMatchesHostReference()
    {
        using var f = new OptimizerFixture();
        using var adagrad = new Adagrad(0.2f);
        float[] p = f.Values(f.Parameters), accum = Enumerable.Repeat(0.1f, p.Length).ToArray();
        for (int step = 0; step < Steps; step++)
        {
            float[] g = f.UploadGradients(step);
            adagrad.Apply(f.Parameters, f.Gradients, step);
            for (int i = 0; i < p.Length; i++)
            {
                accum[i] += g[i] * g[i];
                p[i] -= 0.2f * g[i] / MathF.Sqrt(accum[i]);
            }
        }
        OptimizerFixture.AssertClose(p, f.Values(f.Parameters));
        OptimizerFixture.AssertClose(accum, SlotValues(f, adagrad, "Adagrad"));
    }

    [DeviceFact]
    public void ScheduleSetsEachStepsLearningRate()
    {
        using var f = new OptimizerFixture();
        var schedule = new ExponentialDecay(0.5f, decaySteps: 2, decayRate: 0.5f, staircase: true);
        using var sgd = new Sgd(schedule);
        float[] p = f.Values(f.Parameters);
        for (int step = 0; step < Steps; step++)
        {
            float[] g = f.UploadGradients(step);
            sgd.Apply(f.Parameters, f.Gradients, step);
            float lr = 0.5f * MathF.Pow(0.5f, step / 2); // 0.5, 0.5, 0.25, 0.25, 0.125
            for (int i = 0; i < p.Length; i++) p[i] -= g[i] * lr;
        }
        OptimizerFixture.AssertClose(p, f.Values(f.Parameters));
    }

    [DeviceFact]
    public void StateIsListedUnderTf1CheckpointNames()
    {
        using var f = new OptimizerFixture();
        using var adam = new Adam(1e-4f);
        adam.Attach(f.Parameters);
        Assert.Equal(
            ["dense/kernel/Adam", "dense/bias/Adam", "dense/kernel/Adam_1", "dense/bias/Adam_1", "beta1_power", "beta2_power"],
            adam.Variables.Select(v => v.Name));
        Assert.Equal(f.Parameters["dense/kernel"].Shape, adam.Variables[0].Slice.Shape);
        Assert.Equal(0.9f, Scalar(adam, "beta1_power"));
        using var momentum = new Momentum(0.1f, 0.9f);
        momentum.Attach(f.Parameters);
        Assert.Equal(["dense/kernel/Momentum", "dense/bias/Momentum"], momentum.Variables.Select(v => v.Name));
        using var adagrad = new Adagrad(0.1f);
        adagrad.Attach(f.Parameters);
        Assert.Equal(["dense/kernel/Adagrad", "dense/bias/Adagrad"], adagrad.Variables.Select(v => v.Name));
        Assert.All(SlotValues(f, adagrad, "Adagrad"), a => Assert.Equal(0.1f, a));
    }

    [DeviceFact]
    public void RestoredStateContinuesTheSameTrajectory()
    {
        using var f = new OptimizerFixture();
        using var g = new OptimizerFixture();
        using var first = new Adam(0.01f);
        using var second = new Adam(0.01f);
        for (int step = 0; step < 2; step++)
        {
            f.UploadGradients(step);
            first.Apply(f.Parameters, f.Gradients, step);
        }
        // Copy parameters, slots and beta powers into a fresh optimizer, as a checkpoint restore would (the step is the trainer's).
        second.Attach(g.Parameters);
        foreach (var slice in f.Layout.Slices) g.Parameters.Upload(g.Parameters[slice.Name], f.Parameters.Download(slice));
        foreach (var (from, to) in first.Variables.Zip(second.Variables)) to.Arena.Upload(to.Slice, from.Arena.Download(from.Slice));
        for (int step = 2; step < Steps; step++)
        {
            f.UploadGradients(step);
            g.UploadGradients(step);
            first.Apply(f.Parameters, f.Gradients, step);
            second.Apply(g.Parameters, g.Gradients, step);
        }
        Assert.Equal(f.Values(f.Parameters), g.Values(g.Parameters));
    }

    private static float[] SlotValues(OptimizerFixture f, Optimizer optimizer, string suffix) =>
        f.Layout.Slices.SelectMany(s => Find(optimizer, $"{s.Name}/{suffix}")).ToArray();

    private static float Scalar(Optimizer optimizer, string name) => Find(optimizer, name).Single();

    private static float[] Find(Optimizer optimizer, string name)
    {
        var variable = optimizer.Variables.Single(v => v.Name == name);
        return variable.Arena.Download(variable.Slice);
    }
}
