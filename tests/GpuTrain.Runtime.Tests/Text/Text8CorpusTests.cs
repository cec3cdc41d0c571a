using System.IO.Compression;
using System.Text;
using GpuTrain.Runtime.Text;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Text;

public sealed class Text8CorpusTests
{
    private const string Sample = " blue green violet yellow orange orange is a fruit";

    [Fact]
    public void ReadsPlainAndGzipTheSame()
    {
        using var dir = new TempDir();
        string plain = dir.Combine("text8"), gz = dir.Combine("text8.gz");
        File.WriteAllText(plain, Sample);
        using (var f = File.Create(gz))
        using (var z = new GZipStream(f, CompressionLevel.Fastest))
            z.Write(Encoding.ASCII.GetBytes(Sample));

        var a = Text8Corpus.Load(plain);
        var b = Text8Corpus.Load(gz);
        Assert.Equal(["blue", "green", "violet", "yellow", "orange", "is", "a", "fruit"], a.Types);
        Assert.Equal([1L, 1, 1, 1, 2, 1, 1, 1], a.Counts);
        Assert.Equal([0, 1, 2, 3, 4, 4, 5, 6, 7], a.Tokens);
        Assert.Equal(a.Tokens, b.Tokens);
    }

    [Fact]
    public void VocabularyIsTheTutorialsBuildDataset()
    {
        var corpus = Text8Corpus.Parse("sample", Encoding.ASCII.GetBytes(Sample));
        var (vocabulary, data) = Vocabulary.Build(corpus, 6);
        // UNK, then Counter.most_common(5): orange (2), then the ties in order of first appearance.
        Assert.Equal(["UNK", "orange", "blue", "green", "violet", "yellow"], vocabulary.Words);
        Assert.Equal([3L, 2, 1, 1, 1, 1], vocabulary.Counts);
        Assert.Equal([2, 3, 4, 5, 1, 1, 0, 0, 0], data);
        Assert.Equal(1, vocabulary.IdOf("orange"));
        Assert.Null(vocabulary.IdOf("fruit"));
    }

    [Fact]
    public void MetadataRoundTrips()
    {
        using var dir = new TempDir();
        var (vocabulary, _) = Vocabulary.Build(Text8Corpus.Parse("s", Encoding.ASCII.GetBytes(Sample)), 4);
        string path = dir.Combine("metadata.tsv");
        vocabulary.WriteMetadata(path);
        Assert.Equal(["UNK", "orange", "blue", "green"], File.ReadAllLines(path));
        Assert.Equal(vocabulary.Words, Vocabulary.ReadMetadata(path).Words);
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        using var dir = new TempDir();
        var missing = Assert.Throws<FileNotFoundException>(() => Text8Corpus.Load(dir.Combine("nope")));
        Assert.Contains("nope", missing.Message);
        string upper = dir.Combine("upper");
        File.WriteAllText(upper, "the Cat");
        var bad = Assert.Throws<InvalidDataException>(() => Text8Corpus.Load(upper));
        Assert.Contains("byte 4", bad.Message);
        string empty = dir.Combine("empty");
        File.WriteAllText(empty, "  \n");
        Assert.Contains("no words", Assert.Throws<InvalidDataException>(() => Text8Corpus.Load(empty)).Message);
        string brokenGz = dir.Combine("broken.gz");
        File.WriteAllBytes(brokenGz, [0x1f, 0x8b, 1, 2, 3]);
        Assert.Contains("gzip", Assert.Throws<InvalidDataException>(() => Text8Corpus.Load(brokenGz)).Message);
        Assert.Throws<ArgumentException>(() => Vocabulary.Build(Text8Corpus.Parse("s", "a b"u8), 1));
    }

    [Fact]
    public void ParsingReportsItsProgressEveryMegabyteAndAtTheEnd()
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("anarchism originated as a term ", 100_000))); // 3.1 MB
        var reports = new List<(long Done, long Total)>();
        var corpus = Text8Corpus.Parse("big", text, new SynchronousProgress(reports.Add));
        Assert.Equal(500_000, corpus.Tokens.Length);
        Assert.Equal([(0L, text.Length), (1L << 20, text.Length), (2L << 20, text.Length), (text.Length, text.Length)], reports);
    }

    // System.Progress posts to the thread pool; the test wants the reports in order, at once.
    private sealed class SynchronousProgress(Action<(long, long)> report) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => report(value);
    }
}
