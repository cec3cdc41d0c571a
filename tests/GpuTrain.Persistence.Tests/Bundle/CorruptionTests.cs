using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Bundle;

/// <summary>Every flipped byte or truncation of a bundle's files is an InvalidDataException, never wrong values.</summary>
public class CorruptionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _prefix;

    public CorruptionTests()
    {
        _prefix = _dir.Combine("ckpt");
        TensorBundleWriter.Write(_prefix,
        [
            BundleTensor.FromValues<float>("dense/kernel", DataType.DtFloat, [2, 2], [1f, 2f, 3f, 4f]),
            BundleTensor.FromValues<long>("global_step", DataType.DtInt64, [], [42]),
            BundleTensor.FromStrings("vocab", [2], ["ab"u8.ToArray(), "c"u8.ToArray()]),
        ], numShards: 2);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Any_flipped_byte_in_the_index_is_detected()
    {
        byte[] index = File.ReadAllBytes(BundleNaming.IndexFile(_prefix));
        for (int i = 0; i < index.Length; i++)
        {
            byte[] bad = (byte[])index.Clone();
            bad[i] ^= 0x20;
            var e = Assert.Throws<InvalidDataException>(() => ReadEverything(TensorBundleReader.Parse(_prefix, bad)));
            Assert.Contains("ckpt.index", e.Message);
        }
    }

    [Fact]
    public void Any_truncation_of_the_index_is_detected()
    {
        byte[] index = File.ReadAllBytes(BundleNaming.IndexFile(_prefix));
        for (int length = 0; length < index.Length; length++)
            Assert.Throws<InvalidDataException>(() => TensorBundleReader.Parse(_prefix, index[..length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Any_flipped_byte_in_a_data_file_is_detected_naming_file_and_tensor(int shard)
    {
        string dataFile = BundleNaming.DataFile(_prefix, shard, 2);
        byte[] original = File.ReadAllBytes(dataFile);
        var reader = TensorBundleReader.Open(_prefix);
        for (int i = 0; i < original.Length; i++)
        {
            byte[] bad = (byte[])original.Clone();
            bad[i] ^= 0x01;
            File.WriteAllBytes(dataFile, bad);
            var e = Assert.Throws<InvalidDataException>(() => ReadEverything(reader));
            Assert.Contains(Path.GetFileName(dataFile), e.Message);
            Assert.Contains("tensor '", e.Message);
        }
        File.WriteAllBytes(dataFile, original);
        ReadEverything(reader);
    }

    [Fact]
    public void Truncated_data_files_are_detected_before_allocating()
    {
        var reader = TensorBundleReader.Open(_prefix);
        for (int shard = 0; shard < 2; shard++)
        {
            string dataFile = BundleNaming.DataFile(_prefix, shard, 2);
            byte[] original = File.ReadAllBytes(dataFile);
            foreach (int length in new[] { 0, original.Length / 2, original.Length - 1 })
            {
                File.WriteAllBytes(dataFile, original[..length]);
                var e = Assert.Throws<InvalidDataException>(() => ReadEverything(reader));
                Assert.Contains("beyond the end of the file", e.Message);
            }
            File.WriteAllBytes(dataFile, original);
        }
    }

    [Fact]
    public void A_missing_data_file_is_named()
    {
        File.Delete(BundleNaming.DataFile(_prefix, 1, 2));
        var e = Assert.Throws<FileNotFoundException>(() => ReadEverything(TensorBundleReader.Open(_prefix)));
        Assert.Contains("data-00001-of-00002", e.Message);
    }

    internal static void ReadEverything(TensorBundleReader reader)
    {
        foreach (var entry in reader.Entries)
        {
            var tensor = reader.Read(entry.Name);
            if (entry.DType == DataType.DtString) tensor.ToStrings();
        }
    }
}
