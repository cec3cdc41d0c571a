using GpuTrain.Runtime.Data;

namespace GpuTrain.Runtime.Tests.Data;

public sealed class ShuffledBatcherTests
{
    private const int Count = 12, Batch = 4;

    // Image i is a 2x2 image whose pixels all equal i, and its label is i + 100, so a batch tells
    // which examples it holds and that pixels and labels stayed together.
    private static ImageDataset Numbered() => new("numbered", 2, 2,
        Enumerable.Range(0, Count).SelectMany(i => Enumerable.Repeat((float)i, 4)).ToArray(),
        Enumerable.Range(100, Count).ToArray());

    private static int[] Take(ShuffledBatcher batcher, int batches)
    {
        var images = new float[Batch * 4];
        var labels = new int[Batch];
        var seen = new List<int>();
        for (int b = 0; b < batches; b++)
        {
            batcher.NextBatch(images, labels);
            for (int k = 0; k < Batch; k++)
            {
                Assert.All(images.AsSpan(k * 4, 4).ToArray(), p => Assert.Equal(labels[k] - 100, p));
                seen.Add(labels[k] - 100);
            }
        }
        return [.. seen];
    }

    [Fact]
    public void EachEpochIsAPermutationAndEpochsDiffer()
    {
        var batcher = new ShuffledBatcher(Numbered(), Batch, shuffleSeed: 42);
        Assert.Equal(3, batcher.BatchesPerEpoch);
        int[] epoch0 = Take(batcher, 3), epoch1 = Take(batcher, 3);
        Assert.Equal(Enumerable.Range(0, Count), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, Count), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(Enumerable.Range(0, Count), epoch0);
        Assert.Equal(new BatchCursor(2, 0, 42), batcher.Cursor);
    }

    [Fact]
    public void SameSeedSameOrderOtherSeedOtherOrder()
    {
        int[] a = Take(new ShuffledBatcher(Numbered(), Batch, 5), 6);
        int[] b = Take(new ShuffledBatcher(Numbered(), Batch, 5), 6);
        int[] c = Take(new ShuffledBatcher(Numbered(), Batch, 6), 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void RestoredCursorYieldsExactlyTheUninterruptedBatches()
    {
        var uninterrupted = new ShuffledBatcher(Numbered(), Batch, 9);
        Take(uninterrupted, 4); // into the second epoch
        var saved = uninterrupted.Cursor;
        Assert.Equal(new BatchCursor(1, 4, 9), saved);
        int[] expected = Take(uninterrupted, 5);

        var resumed = new ShuffledBatcher(Numbered(), Batch, shuffleSeed: 0);
        Take(resumed, 1); // its own order cached for another seed must not leak in
        resumed.Restore(saved);
        Assert.Equal(expected, Take(resumed, 5));
    }

    [Fact]
    public void SeekingToABatchCountMatchesTakingThoseBatches()
    {
        var taken = new ShuffledBatcher(Numbered(), Batch, 4);
        Take(taken, 7);
        var seeked = new ShuffledBatcher(Numbered(), Batch, 4);
        seeked.Seek(7);
        Assert.Equal(taken.Cursor, seeked.Cursor);
        Assert.Equal(Take(taken, 2), Take(seeked, 2));
        Assert.Throws<ArgumentException>(() => seeked.Seek(-1));
    }

    [Fact]
    public void PartialEpochRemainderIsDroppedNotRepeated()
    {
        var data = new ImageDataset("ten", 1, 1, Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), Enumerable.Range(0, 10).ToArray());
        var batcher = new ShuffledBatcher(data, 4, 3);
        var images = new float[4];
        var labels = new int[4];
        var epoch = new List<int>();
        for (int b = 0; b < batcher.BatchesPerEpoch; b++)
        {
            batcher.NextBatch(images, labels);
            epoch.AddRange(labels);
        }
        Assert.Equal(8, epoch.Distinct().Count());
        Assert.Equal(new BatchCursor(1, 0, 3), batcher.Cursor);
    }

    [Fact]
    public void BadBuffersAndCursorsAreRejected()
    {
        var batcher = new ShuffledBatcher(Numbered(), Batch, 1);
        Assert.Throws<ArgumentException>(() => batcher.NextBatch(new float[3], new int[Batch]));
        Assert.Throws<ArgumentException>(() => batcher.Restore(new BatchCursor(0, 2, 1)));
        Assert.Throws<ArgumentException>(() => new ShuffledBatcher(Numbered(), Count + 1, 1));
    }
}
