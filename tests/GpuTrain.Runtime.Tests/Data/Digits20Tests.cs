using GpuTrain.Runtime.Data;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Data;

public sealed class Digits20Tests
{
    private static string Dir => Path.Combine(SharedDir.RepoRoot(), "data", "digits20");

    [Fact]
    public void SplitsIntoStratifiedTrainAndTestSets()
    {
        var split = MnistData.LoadDigits20(Dir);
        Assert.Equal(4500, split.Train.Count);
        Assert.Equal(500, split.Test.Count);
        Assert.Equal([28, 28, 1], split.Test.ImageShape);
        for (int d = 0; d < 10; d++)
        {
            Assert.Equal(450, split.Train.Labels.Count(l => l == d));
            Assert.Equal(50, split.Test.Labels.Count(l => l == d));
        }
        // No test image is also a training image (the digits are distinct as pixel arrays).
        var train = new HashSet<string>(Enumerable.Range(0, split.Train.Count).Select(i => Key(split.Train, i)));
        Assert.DoesNotContain(Enumerable.Range(0, split.Test.Count), i => train.Contains(Key(split.Test, i)));
    }

    [Fact]
    public void SplitIsDeterministicPerSeed()
    {
        var a = MnistData.LoadDigits20(Dir);
        var b = MnistData.LoadDigits20(Dir);
        var c = MnistData.LoadDigits20(Dir, splitSeed: 7);
        Assert.Equal(a.Test.Pixels, b.Test.Pixels);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.NotEqual(a.Test.Pixels, c.Test.Pixels);
    }

    [Fact]
    public void DigitsAreCentredInA28By28Frame()
    {
        var raw = IdxFile.ReadImages(Path.Combine(Dir, "digits20-images-idx3-ubyte.gz"));
        var labels = IdxFile.ReadLabels(Path.Combine(Dir, "digits20-labels-idx1-ubyte.gz"));
        Assert.Equal((5000, 20, 20), (raw.Count, raw.Rows, raw.Cols));
        var padded = ImageDataset.FromIdx("digits20", raw, labels, 28, 28, "images", "labels");
        foreach (int n in new[] { 0, 1234, 4999 })
        {
            var image = padded.Image(n);
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                {
                    bool inside = r is >= 4 and <= 23 && c is >= 4 and <= 23;
                    float expected = inside ? raw.Pixels[(n * 20 + r - 4) * 20 + c - 4] / 255f : 0f;
                    Assert.Equal(expected, image[r * 28 + c]);
                }
            Assert.True(image.ToArray().Max() > 0.5f, $"digit {n} is blank");
        }
    }

    private static string Key(ImageDataset data, int i) => Convert.ToBase64String(
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Image(i)));
}
