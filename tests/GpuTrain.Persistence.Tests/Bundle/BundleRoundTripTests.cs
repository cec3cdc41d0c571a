using System.Text.RegularExpressions;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Bundle;

public class BundleRoundTripTests
{
    [SharedTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_dtype_round_trips_and_passes_the_checker(int shards)
    {
        using var dir = new TempDir();
        string prefix = dir.Combine("model.ckpt-7");
        var written = SampleTensors.All();
        TensorBundleWriter.Write(prefix, written, shards);

        var reader = TensorBundleReader.Open(prefix);
        Assert.Equal(shards, reader.NumShards);
        Assert.Equal(written.Count, reader.Entries.Count);
        foreach (var t in written)
        {
            var back = reader.Read(t.Name);
            Assert.Equal(t.DType, back.DType);
            Assert.Equal(t.Shape, back.Shape);
            Assert.Equal(t.Data, back.Data);
        }
        Assert.Equal([[104, 101, 108, 108, 111], [], "wörter ✓"u8.ToArray()], reader.Read("words").ToStrings());
        // The independent reader passes the bundle (0 errors, 0 warnings) and sees the same names, dtypes, shapes and values.
        var listing = CheckerListing.Read(prefix);
        Assert.Equal(written.Select(t => t.Name).Order(), listing.Keys.Order());
        Assert.Equal("DT_BFLOAT16", listing["bf16"].DType);
        Assert.Equal(["1.0", "-2.0"], listing["bf16"].Values);
        Assert.Equal(["0.5", "-2.0", "65504.0"], listing["f16"].Values);
        Assert.Equal(["True", "False", "True"], listing["flags"].Values);
        Assert.Equal(["3000"], listing["global_step"].Values);
        Assert.Equal([3L, 0L], listing["empty/2d"].Shape);
        Assert.Equal(["42.0"], listing["名前/変数"].Values);
    }

    [Fact]
    public void Shards_are_balanced_by_bytes_with_each_tensor_whole()
    {
        using var dir = new TempDir();
        string prefix = dir.Combine("big");
        var tensors = new[] { 4000, 3000, 2000, 1000, 1000, 1000 }
            .Select((n, i) => BundleTensor.FromValues<float>($"t{i}", DataType.DtFloat, [n], new float[n]))
            .ToList();
        TensorBundleWriter.Write(prefix, tensors, 3);

        var sizes = Enumerable.Range(0, 3).Select(s => new FileInfo(BundleNaming.DataFile(prefix, s, 3)).Length).ToArray();
        Assert.Equal(48000, sizes.Sum());
        Assert.All(sizes, s => Assert.Equal(16000, s)); // 4000 | 3000+1000 | 2000+1000+1000 floats
    }

    [SharedFact]
    public void Many_long_names_span_several_blocks_and_pass_the_checker()
    {
        using var dir = new TempDir();
        string prefix = dir.Combine("wide");
        var tensors = Enumerable.Range(0, 4000)
            .Select(i => BundleTensor.FromValues<float>(
                $"v{i:D4}/" + string.Concat(Enumerable.Repeat($"{i * 2654435761u:x8}", 12)), DataType.DtFloat, [1], [i]))
            .ToList();
        TensorBundleWriter.Write(prefix, tensors, 2);

        var reader = TensorBundleReader.Open(prefix);
        Assert.Equal(tensors.Count, reader.Entries.Count);
        Assert.Equal([1234f], reader.Read(tensors[1234].Name).ToArray<float>());
        var check = TfCheck.Run("ckpt", prefix, "--max-values", "0");
        Assert.True(check.Clean, check.Output);
        var blocks = Regex.Match(check.Output, @"table: (\d+) data block\(s\)");
        Assert.True(int.Parse(blocks.Groups[1].Value) >= 3, blocks.Value);
    }

    [Fact]
    public void Duplicate_and_reserved_names_are_refused()
    {
        using var dir = new TempDir();
        var t = BundleTensor.FromValues<float>("x", DataType.DtFloat, [1], [1f]);
        Assert.Throws<ArgumentException>(() => TensorBundleWriter.Write(dir.Combine("p"), [t, t]));
        Assert.Throws<ArgumentException>(() => TensorBundleWriter.Write(dir.Combine("p"), [BundleTensor.FromValues<float>("", DataType.DtFloat, [1], [1f])]));
        Assert.Throws<ArgumentException>(() => BundleTensor.FromValues<float>("y", DataType.DtFloat, [3], [1f]));
    }

    [Fact]
    public void Missing_index_is_a_file_not_found_naming_it()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => TensorBundleReader.Open(dir.Combine("nothing")));
        Assert.Contains("nothing.index", e.Message);
    }
}
