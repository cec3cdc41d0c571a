using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Optimizers;

/// <summary>
/// A small parameter arena (two tensors, with alignment padding between them; 32 floats, twice the
/// CPU accelerator's 16 threads, so every grid-stride thread there handles more than one element) on
/// the test device, gradients that differ every step, and helpers to compare device values with a
/// host reference over the tensors' elements.
/// </summary>
internal sealed class OptimizerFixture : IDisposable
{
    /// <summary>On the CPU accelerator kernels run as <paramref name="execution"/> says (the emulator takes ILGPU's launch path, host threads the ops' host twins).</summary>
    public OptimizerFixture(CpuKernelExecution execution = CpuKernelExecution.HostThreads)
    {
        Device = TestDevice.Open(execution);
        Layout = new ArenaLayout();
        Layout.Add("dense/kernel", new Shape(3, 5));
        Layout.Add("dense/bias", new Shape(7));
        Parameters = new ParameterArena(Device, Layout);
        Gradients = new ParameterArena(Device, Layout);
        foreach (var slice in Layout.Slices)
            Parameters.Upload(slice, Enumerable.Range(0, (int)slice.Size).Select(i => MathF.Sin(i + slice.Offset) * 0.5f).ToArray());
    }

    public Device Device { get; }
    public ArenaLayout Layout { get; }
    public ParameterArena Parameters { get; }
    public ParameterArena Gradients { get; }

    /// <summary>Every tensor's values, concatenated (padding excluded).</summary>
    public float[] Values(ParameterArena arena) => Layout.Slices.SelectMany(arena.Download).ToArray();

    /// <summary>Gradients of step <paramref name="step"/>: signs, magnitudes from 1e-3 to 3, and some zeros.</summary>
    public float[] UploadGradients(int step)
    {
        foreach (var slice in Layout.Slices)
            Gradients.Upload(slice, Enumerable.Range(0, (int)slice.Size)
                .Select(i => i % 5 == step % 5 ? 0f : MathF.Cos(i * 1.7f + step) * MathF.Pow(10, (i + step) % 4 - 3) * 3f).ToArray());
        return Values(Gradients);
    }

    public static void AssertClose(float[] expected, float[] actual, double relative = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(Math.Abs(expected[i]), 1e-6),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
        Device.Dispose();
    }
}
