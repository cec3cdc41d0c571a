using System.Text.Json;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Inspection;
using GpuTrain.Persistence.Protos;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Inspection;

public class CheckpointInspectorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _prefix;

    public CheckpointInspectorTests()
    {
        _prefix = _dir.Combine("model-5");
        TensorBundleWriter.Write(_prefix,
        [
            BundleTensor.FromValues<float>("big", DataType.DtFloat, [10, 100], Enumerable.Range(1, 1000).Select(i => (float)i).ToArray()),
            BundleTensor.FromValues<long>("global_step", DataType.DtInt64, [], [5]),
            BundleTensor.FromValues<ushort>("bf16", DataType.DtBfloat16, [2], [0x3f80, 0xc000]),
            BundleTensor.FromStrings("vocab", [2], ["héllo"u8.ToArray(), "x"u8.ToArray()]),
            BundleTensor.FromStrings("blob", [], [[0x0a, 0xff, 0x27]]),
        ]);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resolves_prefix_index_file_and_directory()
    {
        Assert.Equal(_prefix, CheckpointInspector.ResolvePrefix(_prefix));
        Assert.Equal(_prefix, CheckpointInspector.ResolvePrefix(_prefix + ".index"));
        Assert.Equal(_prefix, CheckpointInspector.ResolvePrefix(_dir.Path)); // the folder's own files decide, no state file needed
        File.WriteAllText(_dir.Combine("checkpoint"), "model_checkpoint_path: \"model-5\"\n");
        Assert.Equal(_prefix, CheckpointInspector.ResolvePrefix(_dir.Path));
        using (var empty = new TempDir())
            Assert.Throws<FileNotFoundException>(() => CheckpointInspector.ResolvePrefix(empty.Path));
        var e = Assert.Throws<FileNotFoundException>(() => CheckpointInspector.ResolvePrefix(_dir.Combine("nope")));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void Listing_shows_name_dtype_shape_and_bytes()
    {
        string text = CheckpointInspector.Describe(TensorBundleReader.Open(_prefix), asJson: false);
        Assert.Matches(@"big\s+DT_FLOAT\s+\[10, 100\]\s+4000 bytes", text);
        Assert.Matches(@"global_step\s+DT_INT64\s+\[\]\s+8 bytes", text);

        using var json = JsonDocument.Parse(CheckpointInspector.Describe(TensorBundleReader.Open(_prefix), asJson: true));
        var tensors = json.RootElement.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(["bf16", "big", "blob", "global_step", "vocab"], tensors.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("DT_BFLOAT16", tensors[0].GetProperty("dtype").GetString());
        Assert.Equal(4000, tensors[1].GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void Large_tensors_get_summary_statistics()
    {
        using var json = JsonDocument.Parse(CheckpointInspector.DescribeTensor(TensorBundleReader.Open(_prefix), "big", asJson: true));
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(1000, summary.GetProperty("count").GetInt64());
        Assert.Equal(1.0, summary.GetProperty("min").GetDouble());
        Assert.Equal(1000.0, summary.GetProperty("max").GetDouble());
        Assert.Equal(500.5, summary.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Math.Sqrt((1000.0 * 1000 - 1) / 12), summary.GetProperty("std").GetDouble(), 6);
        Assert.Equal(10, json.RootElement.GetProperty("values").GetArrayLength());
        Assert.Contains("mean=500.5", CheckpointInspector.DescribeTensor(TensorBundleReader.Open(_prefix), "big", asJson: false));
    }

    [Fact]
    public void Small_tensors_and_strings_are_listed_in_full()
    {
        var reader = TensorBundleReader.Open(_prefix);
        Assert.Contains("[1, -2]", CheckpointInspector.DescribeTensor(reader, "bf16", asJson: false));
        Assert.Contains("[5]", CheckpointInspector.DescribeTensor(reader, "global_step", asJson: false));
        using var vocab = JsonDocument.Parse(CheckpointInspector.DescribeTensor(reader, "vocab", asJson: true));
        Assert.Equal(["héllo", "x"], vocab.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains(@"b'\x0a\xff\x27'", CheckpointInspector.DescribeTensor(reader, "blob", asJson: false));
        using var blob = JsonDocument.Parse(CheckpointInspector.DescribeTensor(reader, "blob", asJson: true));
        Assert.Equal(Convert.ToBase64String([0x0a, 0xff, 0x27]), blob.RootElement.GetProperty("values_base64")[0].GetString());
    }

    [Fact]
    public void Unknown_tensor_is_named_in_the_error()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => CheckpointInspector.DescribeTensor(TensorBundleReader.Open(_prefix), "nope", false));
        Assert.Contains("'nope'", e.Message);
    }
}
