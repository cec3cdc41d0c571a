using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Variables;

/// <summary>Restore by name is all or nothing, with errors that name both sides.</summary>
public class RestoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _prefix;

    public RestoreTests()
    {
        _prefix = _dir.Combine("ckpt-1");
        TensorBundleWriter.Write(_prefix,
        [
            BundleTensor.FromValues<float>("a", DataType.DtFloat, [2], [1f, 2f]),
            BundleTensor.FromValues<float>("b", DataType.DtFloat, [3], [3f, 4f, 5f]),
            BundleTensor.FromValues<long>("global_step", DataType.DtInt64, [], [9]),
        ]);
    }

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, ICheckpointVariable> Map(params ICheckpointVariable[] vars) =>
        vars.ToDictionary(v => v.Name, v => v);

    [Fact]
    public void Missing_tensor_names_key_and_variable_and_assigns_nothing()
    {
        var a = new HostVariable<float>("a", DataType.DtFloat, [2]);
        var map = new Dictionary<string, ICheckpointVariable> { ["a"] = a, ["zz"] = new HostVariable<float>("model/zz", DataType.DtFloat, [1]) };
        var e = Assert.Throws<KeyNotFoundException>(() => CheckpointRestorer.Restore(_prefix, map));
        Assert.Contains("'zz'", e.Message);
        Assert.Contains("'model/zz'", e.Message);
        Assert.Equal([0f, 0f], a.Values);
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes_and_assigns_nothing()
    {
        var a = new HostVariable<float>("a", DataType.DtFloat, [2]);
        var b = new HostVariable<float>("b", DataType.DtFloat, [1, 3]);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointRestorer.Restore(_prefix, Map(a, b)));
        Assert.Contains("[3]", e.Message);
        Assert.Contains("[1, 3]", e.Message);
        Assert.Equal([0f, 0f], a.Values);
    }

    [Fact]
    public void Dtype_mismatch_names_both_dtypes()
    {
        var step = new HostVariable<int>("global_step", DataType.DtInt32, []);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointRestorer.Restore(_prefix, Map(step)));
        Assert.Contains("DT_INT64", e.Message);
        Assert.Contains("DT_INT32", e.Message);
    }

    [Fact]
    public void Corrupt_data_assigns_nothing_and_names_file_and_tensor()
    {
        string data = BundleNaming.DataFile(_prefix, 0, 1);
        byte[] bytes = File.ReadAllBytes(data);
        bytes[^1] ^= 0xff; // inside the last tensor in key order, "global_step"
        File.WriteAllBytes(data, bytes);
        var a = new HostVariable<float>("a", DataType.DtFloat, [2]);
        var step = new HostVariable<long>("global_step", DataType.DtInt64, []);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointRestorer.Restore(_prefix, Map(a, step)));
        Assert.Contains("ckpt-1.data-00000-of-00001", e.Message);
        Assert.Contains("'global_step'", e.Message);
        Assert.Equal([0f, 0f], a.Values);
    }

    [Fact]
    public void Subset_restore_assigns_the_named_tensors()
    {
        var b = new HostVariable<float>("b", DataType.DtFloat, [3]);
        CheckpointRestorer.Restore(_prefix, Map(b));
        Assert.Equal([3f, 4f, 5f], b.Values);
    }
}
