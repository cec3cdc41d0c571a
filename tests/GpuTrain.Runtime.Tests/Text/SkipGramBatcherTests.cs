using GpuTrain.Runtime.Text;

namespace GpuTrain.Runtime.Tests.Text;

/// <summary>
/// The expected batches come from the tutorial's own generate_batch run on data = range(10). With
/// num_skips = 2 * skip_window every context word is used, so the centre words and each window's
/// label set are fixed; only their order within a window is random.
/// </summary>
public sealed class SkipGramBatcherTests
{
    private static readonly int[] Data = Enumerable.Range(0, 10).ToArray();

    [Fact]
    public void MatchesTheTutorialIncludingTheWrapAtTheEnd()
    {
        var batcher = new SkipGramBatcher(Data, batchSize: 10, numSkips: 2, skipWindow: 1, seed: 5);
        Expect(batcher, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], [[0, 2], [1, 3], [2, 4], [3, 5], [4, 6]], dataIndex: 5);
        Expect(batcher, [6, 6, 7, 7, 8, 8, 1, 1, 2, 2], [[5, 7], [6, 8], [7, 9], [0, 2], [1, 3]], dataIndex: 2);
        Expect(batcher, [3, 3, 4, 4, 5, 5, 6, 6, 7, 7], [[2, 4], [3, 5], [4, 6], [5, 7], [6, 8]], dataIndex: 7);
    }

    [Fact]
    public void MatchesTheTutorialWithAWiderWindow()
    {
        var batcher = new SkipGramBatcher(Data, batchSize: 12, numSkips: 4, skipWindow: 2, seed: 5);
        Expect(batcher, [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4], [[0, 1, 3, 4], [1, 2, 4, 5], [2, 3, 5, 6]], dataIndex: 3);
        Expect(batcher, [5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7], [[3, 4, 6, 7], [4, 5, 7, 8], [5, 6, 8, 9]], dataIndex: 0);
        Expect(batcher, [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4], [[0, 1, 3, 4], [1, 2, 4, 5], [2, 3, 5, 6]], dataIndex: 3);
    }

    [Fact]
    public void FewerSkipsDrawDistinctContextWordsFromTheWindowAndVary()
    {
        var data = Enumerable.Range(0, 1000).ToArray();
        var batcher = new SkipGramBatcher(data, batchSize: 64, numSkips: 2, skipWindow: 3, seed: 9);
        var inputs = new int[64];
        var labels = new int[64];
        var offsets = new HashSet<int>();
        for (int b = 0; b < 5; b++)
        {
            batcher.NextBatch(inputs, labels);
            for (int i = 0; i < 64; i += 2)
            {
                Assert.Equal(inputs[i], inputs[i + 1]);
                Assert.NotEqual(labels[i], labels[i + 1]);
                foreach (int l in labels.AsSpan(i, 2).ToArray())
                {
                    int offset = l - inputs[i];
                    Assert.InRange(Math.Abs(offset), 1, 3);
                    offsets.Add(offset);
                }
            }
        }
        Assert.Equal(6, offsets.Count);
    }

    [Fact]
    public void ARestoredCursorContinuesWithTheSameBatches()
    {
        var data = Enumerable.Range(0, 500).Select(i => i * 7 % 31).ToArray();
        var first = new SkipGramBatcher(data, 16, 2, 2, seed: 3);
        var inputs = new int[16];
        var labels = new int[16];
        first.NextBatch(inputs, labels);
        first.NextBatch(inputs, labels);
        var cursor = first.Cursor;
        first.NextBatch(inputs, labels);
        int[] expectedInputs = [.. inputs], expectedLabels = [.. labels];

        var second = new SkipGramBatcher(data, 16, 2, 2, seed: 3);
        second.Restore(cursor);
        second.NextBatch(inputs, labels);
        Assert.Equal(expectedInputs, inputs);
        Assert.Equal(expectedLabels, labels);
    }

    [Fact]
    public void RefusesTheTutorialsAssertions()
    {
        Assert.Throws<ArgumentException>(() => new SkipGramBatcher(Data, 9, 2, 1, 1));
        Assert.Throws<ArgumentException>(() => new SkipGramBatcher(Data, 8, 4, 1, 1));
        Assert.Throws<ArgumentException>(() => new SkipGramBatcher([1, 2], 8, 2, 1, 1));
        var batcher = new SkipGramBatcher(Data, 8, 2, 1, 1);
        Assert.Throws<ArgumentException>(() => batcher.Restore(new SkipGramCursor(10, 0)));
    }

    private static void Expect(SkipGramBatcher batcher, int[] centres, int[][] windows, int dataIndex)
    {
        var inputs = new int[centres.Length];
        var labels = new int[centres.Length];
        batcher.NextBatch(inputs, labels);
        Assert.Equal(centres, inputs);
        int skips = batcher.NumSkips;
        for (int w = 0; w < windows.Length; w++)
            Assert.Equal(windows[w], labels.AsSpan(w * skips, skips).ToArray().Order());
        Assert.Equal(dataIndex, batcher.Cursor.DataIndex);
    }
}
