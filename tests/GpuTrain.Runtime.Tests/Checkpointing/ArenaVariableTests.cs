using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.Runtime.Checkpointing;
using GpuTrain.Runtime.Devices;
using GpuTrain.Runtime.Tensors;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Checkpointing;

public sealed class ArenaVariableTests
{
    private static ArenaLayout Layout()
    {
        var layout = new ArenaLayout();
        layout.Add("dense/kernel", new Shape(2, 3));
        layout.Add("dense/bias", new Shape(3));
        return layout;
    }

    [DeviceFact(NeedsShared = true)]
    [Trait("Category", TestDevice.Category)]
    public void ArenaAndAdamSlotsAndGlobalStepSaveAndRestoreByName()
    {
        using var device = TestDevice.Open();
        using var parameters = new ParameterArena(device, Layout());
        using var adamM = new ParameterArena(device, Layout());
        float[] kernel = [1, 2, 3, 4, 5, 6];
        parameters.Upload(parameters["dense/kernel"], kernel);
        parameters.Upload(parameters["dense/bias"], [0.5f, -0.5f, 0.25f]);
        adamM.Upload(adamM["dense/bias"], [7, 8, 9]);
        var step = new HostVariable<long>("global_step", DataType.DtInt64, []) { Value = 1234 };
        using var dir = new TempDir();

        string prefix = new Saver([.. ArenaVariables.Of(parameters), .. ArenaVariables.Of(adamM, "/Adam"), step])
            .Save(dir.Combine("model"), 1234);
        TfCheck.AssertClean("ckpt", prefix);
        TfCheck.AssertClean("state", dir.Path);
        var reader = TensorBundleReader.Open(prefix);
        Assert.Equal(["dense/bias", "dense/bias/Adam", "dense/kernel", "dense/kernel/Adam", "global_step"], reader.Entries.Select(e => e.Name));
        Assert.Equal([2L, 3L], reader.Entry("dense/kernel").Shape);
        Assert.Equal(kernel, reader.Read("dense/kernel").ToArray<float>());

        using var restored = new ParameterArena(device, Layout());
        using var restoredM = new ParameterArena(device, Layout());
        var restoredStep = new HostVariable<long>("global_step", DataType.DtInt64, []);
        new Saver([.. ArenaVariables.Of(restored), .. ArenaVariables.Of(restoredM, "/Adam"), restoredStep]).RestoreLatest(dir.Path);
        Assert.Equal(kernel, restored.Download(restored["dense/kernel"]));
        Assert.Equal([0.5f, -0.5f, 0.25f], restored.Download(restored["dense/bias"]));
        Assert.Equal([7f, 8f, 9f], restoredM.Download(restoredM["dense/bias"]));
        Assert.Equal(1234L, restoredStep.Value);
    }
}
