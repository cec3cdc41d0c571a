using System.Buffers.Binary;
using System.IO.Compression;
using GpuTrain.Runtime.Data;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Data;

public sealed class IdxFileTests
{
    [SharedFact]
    public void ReadsRealMnistWithItsKnownCountsAndFirstLabels()
    {
        var mnist = MnistData.Load(SharedDir.Combine("data", "mnist"));
        Assert.Equal(60000, mnist.Train.Count);
        Assert.Equal(10000, mnist.Test.Count);
        Assert.Equal([28, 28, 1], mnist.Train.ImageShape);
        // The first training digit of MNIST is a 5, the first test digit a 7.
        Assert.Equal(5, mnist.Train.Labels[0]);
        Assert.Equal(7, mnist.Test.Labels[0]);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Contains(d, mnist.Test.Labels));
        Assert.Equal(0f, mnist.Train.Pixels.Min());
        Assert.Equal(1f, mnist.Train.Pixels.Max());
    }

    [SharedFact]
    public void ReadsRealFashionMnistFiles()
    {
        string dir = SharedDir.Combine("data", "fashion-mnist");
        var labels = IdxFile.ReadLabels(Path.Combine(dir, "train-labels-idx1-ubyte.gz"));
        var images = IdxFile.ReadImages(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
        Assert.Equal(60000, labels.Length);
        Assert.Equal(9, labels[0]); // an ankle boot
        Assert.Equal((10000, 28, 28), (images.Count, images.Rows, images.Cols));
        Assert.Equal(10000 * 28 * 28, images.Pixels.Length);
    }

    [Fact]
    public void RawAndGzipFilesReadAlikeWhateverTheirName()
    {
        using var dir = new TempDir();
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        WriteImages(dir.Combine("raw-images"), 2, 3, 4, pixels, gzip: false);
        WriteImages(dir.Combine("zipped-without-suffix"), 2, 3, 4, pixels, gzip: true);
        foreach (string name in new[] { "raw-images", "zipped-without-suffix" })
        {
            var images = IdxFile.ReadImages(dir.Combine(name));
            Assert.Equal((2, 3, 4), (images.Count, images.Rows, images.Cols));
            Assert.Equal(pixels, images.Pixels);
        }
    }

    [Fact]
    public void WrongMagicNumberNamesTheFile()
    {
        using var dir = new TempDir();
        string labels = dir.Combine("labels-idx1-ubyte");
        WriteLabels(labels, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(labels));
        Assert.Contains(labels, e.Message);
        Assert.Contains("magic number 0x00000801", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFileNamesTheFile(bool gzip)
    {
        using var dir = new TempDir();
        string path = dir.Combine("images.gz");
        byte[] full = ImageBytes(5, 4, 4, new byte[5 * 16]);
        byte[] cut = full[..(full.Length - 7)];
        File.WriteAllBytes(path, gzip ? Gzip(cut) : cut);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExtraBytesAfterThePayloadAreRejected(bool gzip)
    {
        using var dir = new TempDir();
        string path = dir.Combine("labels");
        byte[] bytes = [.. LabelBytes([1, 2]), 9];
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("extra bytes", e.Message);
    }

    [Fact]
    public void ImpossibleSizesAreRejectedBeforeAllocating()
    {
        using var dir = new TempDir();
        string path = dir.Combine("images");
        WriteImages(path, 1 << 30, 1 << 30, 28, [], gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("more than one array can hold", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        using var dir = new TempDir();
        WriteImages(dir.Combine("train-images-idx3-ubyte"), 3, 28, 28, new byte[3 * 784], gzip: false);
        WriteLabels(dir.Combine("train-labels-idx1-ubyte"), [1, 2]);
        WriteImages(dir.Combine("t10k-images-idx3-ubyte.gz"), 1, 28, 28, new byte[784], gzip: true);
        WriteLabels(dir.Combine("t10k-labels-idx1-ubyte"), [1]);
        var e = Assert.Throws<InvalidDataException>(() => MnistData.Load(dir.Path));
        Assert.Contains(dir.Combine("train-images-idx3-ubyte"), e.Message);
        Assert.Contains(dir.Combine("train-labels-idx1-ubyte"), e.Message);
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void MissingFilesListWhatWasLookedFor()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => MnistData.Load(dir.Path));
        Assert.Contains(dir.Combine("train-images-idx3-ubyte"), e.Message);
        Assert.Contains(dir.Combine("train-images-idx3-ubyte.gz"), e.Message);
        Assert.Throws<FileNotFoundException>(() => MnistData.LoadDigits20(dir.Path));
    }

    internal static void WriteImages(string path, int count, int rows, int cols, byte[] pixels, bool gzip)
    {
        byte[] bytes = ImageBytes(count, rows, cols, pixels);
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
    }

    internal static void WriteLabels(string path, byte[] labels) => File.WriteAllBytes(path, LabelBytes(labels));

    private static byte[] ImageBytes(int count, int rows, int cols, byte[] pixels)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    private static byte[] LabelBytes(byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(bytes);
        return output.ToArray();
    }
}
