using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.State;
using GpuTrain.Persistence.Table;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Bundle;

/// <summary>
/// The fuzz tests' other half: files that lie about their size or are not files at all. Every reader
/// bounds its allocations by the real file and the format, and refuses a FIFO, device or directory at
/// once (a FIFO would otherwise block the open forever).
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _prefix;

    public HostileFileTests()
    {
        _prefix = _dir.Combine("model-1");
        TensorBundleWriter.Write(_prefix, SampleTensors.All(), numShards: 2);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AHugeSparseIndexIsReadBlockByBlockNotWhole()
    {
        // The same blocks and footer with 1.2 GB of hole between them: still a valid table.
        byte[] index = File.ReadAllBytes(BundleNaming.IndexFile(_prefix));
        const long hole = 1_200_000_000;
        using (var file = new FileStream(BundleNaming.IndexFile(_prefix), FileMode.Create))
        {
            file.Write(index.AsSpan(0, index.Length - TableFormat.FooterSize));
            file.SetLength(index.Length + hole);
            file.Position = file.Length - TableFormat.FooterSize;
            file.Write(index.AsSpan(index.Length - TableFormat.FooterSize));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var reader = TensorBundleReader.Open(_prefix);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SampleTensors.All().Count, reader.Entries.Count);
        Assert.True(allocated < 4_000_000, $"opening the index allocated {allocated} bytes");
        CorruptionTests.ReadEverything(reader);
    }

    [Theory]
    [InlineData("index")]
    [InlineData("data")]
    public void DevZeroAsAnIndexOrShardIsRefusedAtOnce(string which)
    {
        string target = which == "index" ? BundleNaming.IndexFile(_prefix) : BundleNaming.DataFile(_prefix, 0, 2);
        File.Delete(target);
        File.CreateSymbolicLink(target, "/dev/zero");

        var e = SpecialFiles.ThrownWithin(() => CorruptionTests.ReadEverything(TensorBundleReader.Open(_prefix)));

        Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"{target} is a character device, not a regular file", e.Message);
    }

    [Theory]
    [InlineData("index")]
    [InlineData("data")]
    [InlineData("state")]
    public void AFifoAsAnIndexShardOrStateFileIsRefusedWithoutWaiting(string which)
    {
        string target = which switch
        {
            "index" => BundleNaming.IndexFile(_prefix),
            "data" => BundleNaming.DataFile(_prefix, 1, 2),
            _ => _dir.Combine("checkpoint"),
        };
        File.Delete(target);
        SpecialFiles.MakeFifo(target);

        if (which == "state")
        {
            CheckpointFolder? folder = null;
            Assert.Null(SpecialFiles.ThrownWithin(() => folder = CheckpointFolder.Read(_dir.Path)));
            Assert.Contains(folder!.Warnings, w => w.Contains($"{target} is a FIFO"));
            Assert.Equal(_prefix, folder.Newest!.Prefix); // the state file never hides the checkpoint
            return;
        }
        var e = SpecialFiles.ThrownWithin(() => CorruptionTests.ReadEverything(TensorBundleReader.Open(_prefix)));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"{target} is a FIFO, not a regular file", e.Message);
    }

    [Fact]
    public void ADirectoryNamedLikeAnIndexIsRefused()
    {
        File.Delete(BundleNaming.IndexFile(_prefix));
        Directory.CreateDirectory(BundleNaming.IndexFile(_prefix));
        var e = Assert.Throws<InvalidDataException>(() => TensorBundleReader.Open(_prefix));
        Assert.Contains("is a directory", e.Message);
    }
}
