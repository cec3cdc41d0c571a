using System.IO.Compression;
using System.Text;
using GpuTrain.Runtime.Data;
using GpuTrain.TestSupport;

namespace GpuTrain.Runtime.Tests.Data;

/// <summary>The PTB reader and ptb_producer against hand-worked examples of the tutorial's reader.py.</summary>
public sealed class PtbDataTests
{
    [Fact]
    public void VocabularyOrdersByCountThenWordAndEndsLinesWithEos()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("ptb.train.txt"), " b a c a \n b Z a \n");
        File.WriteAllText(dir.Combine("ptb.valid.txt"), " a unknown b \n");
        WriteGzip(dir.Combine("ptb.test.txt.gz"), " c \r\n");
        var corpus = PtbCorpus.Load(dir.Path);

        // Counts: a 3, b 2, <eos> 2, Z 1, c 1. Ties by ordinal order: "<eos>" < "b" ('<' is 0x3C), "Z" < "c".
        Assert.Equal(["a", "<eos>", "b", "Z", "c"], Enumerable.Range(0, corpus.Vocabulary.Count).Select(i => corpus.Vocabulary[i]));
        Assert.Equal([2, 0, 4, 0, 1, 2, 3, 0, 1], corpus.Train);
        Assert.Equal([0, 2, 1], corpus.Valid);  // "unknown" is dropped, as reader.py's _file_to_word_ids does
        Assert.Equal([4, 1], corpus.Test);      // gzip and \r\n line ends
        // reader.py replaces "\n" by "<eos>" without spaces: a word right before a newline fuses with it.
        Assert.Equal(["x", "y<eos>"], PtbCorpus.ReadWords(WriteText(dir, "fused.txt", " x y\n")));
    }

    [Fact]
    public void ProducerCutsRowsAndShiftsTargets()
    {
        int[] ids = Enumerable.Range(0, 23).ToArray();
        var batches = new PtbBatches(ids, batch: 2, steps: 3);
        // Rows of 11: [0..10] and [11..21]; (11 - 1) / 3 = 3 batches.
        Assert.Equal(3, batches.EpochSize);
        var inputs = new int[6];
        var targets = new int[6];
        batches.Fill(1, inputs, targets);
        Assert.Equal([3, 4, 5, 14, 15, 16], inputs);
        Assert.Equal([4, 5, 6, 15, 16, 17], targets);
        batches.Fill(2, inputs, targets);
        Assert.Equal([7, 8, 9, 18, 19, 20], targets);
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.Fill(3, inputs, targets));
    }

    [Fact]
    public void ProducerRejectsAStreamTooShortForOneBatch()
    {
        var error = Assert.Throws<ArgumentException>(() => new PtbBatches(new int[8], batch: 2, steps: 4, name: "valid"));
        Assert.Contains("valid has 8 words", error.Message);
    }

    [Fact]
    public void MissingSplitNamesBothFileNames()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("ptb.train.txt"), " a b\n");
        File.WriteAllText(dir.Combine("ptb.valid.txt"), " a b\n");
        var error = Assert.Throws<FileNotFoundException>(() => PtbCorpus.Load(dir.Path));
        Assert.Contains("ptb.test.txt or ptb.test.txt.gz", error.Message);
        Assert.Throws<DirectoryNotFoundException>(() => PtbCorpus.Load(dir.Combine("nowhere")));
    }

    [Fact]
    public void CorruptFilesAreInvalidData()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("ptb.train.txt.gz"), [0x1f, 0x8b, 1, 2, 3]);
        File.WriteAllBytes(dir.Combine("ptb.valid.txt"), [0x61, 0xff, 0xfe]);
        File.WriteAllText(dir.Combine("ptb.test.txt"), "a\n");
        var error = Assert.Throws<InvalidDataException>(() => PtbCorpus.Load(dir.Path));
        Assert.Contains("ptb.train.txt.gz", error.Message);
        error = Assert.Throws<InvalidDataException>(() => PtbCorpus.ReadWords(dir.Combine("ptb.valid.txt")));
        Assert.Contains("ptb.valid.txt", error.Message);
    }

    [Fact]
    public void BundledBrownCorpusLoads()
    {
        var corpus = PtbCorpus.Load(Path.Combine(SharedDir.RepoRoot(), "data", "ptb-brown"));
        Assert.Equal(10000, corpus.Vocabulary.Count);
        Assert.True(corpus.Vocabulary.TryGetId("<eos>", out _));
        Assert.Equal(920682 + 51597, corpus.Train.Length);  // words plus one <eos> per line
        Assert.True(corpus.Valid.Length > 50000 && corpus.Test.Length > 50000);
    }

    private static string WriteText(TempDir dir, string name, string text)
    {
        File.WriteAllText(dir.Combine(name), text);
        return dir.Combine(name);
    }

    private static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }
}
