using System.IO.Compression;
using System.Text;

namespace GpuTrain.Runtime.Data;

/// <summary>
/// The Penn Treebank language-modelling data as ptb_word_lm's reader loads it: ptb.train.txt,
/// ptb.valid.txt and ptb.test.txt (each raw or gzipped as .txt.gz), words split on whitespace with
/// <c>&lt;eos&gt;</c> at every line end, and every split mapped to ids of the vocabulary built from
/// train. The Brown corpus committed under data/ptb-brown has the same files.
/// </summary>
/// <param name="Vocabulary">Built from the training words.</param>
/// <param name="Train">The training ids.</param>
/// <param name="Valid">The validation ids.</param>
/// <param name="Test">The test ids.</param>
public sealed record PtbCorpus(PtbVocabulary Vocabulary, int[] Train, int[] Valid, int[] Test)
{
    /// <summary>The end-of-sentence token the reader puts at each line end.</summary>
    public const string EndOfSentence = "<eos>";

    /// <summary>Loads the three splits from <paramref name="dir"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A split is missing (the message names both accepted names).</exception>
    /// <exception cref="InvalidDataException">A file is not valid UTF-8 text or gzip, or train holds no words.</exception>
    public static PtbCorpus Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"PTB data folder '{dir}' does not exist");
        var trainWords = ReadWords(dir, "train");
        if (trainWords.Count == 0) throw new InvalidDataException($"{Find(dir, "train")} holds no words");
        var vocabulary = PtbVocabulary.Build(trainWords);
        return new PtbCorpus(vocabulary, vocabulary.ToIds(trainWords),
            vocabulary.ToIds(ReadWords(dir, "valid")), vocabulary.ToIds(ReadWords(dir, "test")));
    }

    /// <summary>
    /// The words of one file, exactly as the tutorial's <c>f.read().replace("\n", "&lt;eos&gt;").split()</c>
    /// (with Python's universal newlines: \r\n and \r count as \n).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not UTF-8 text or not valid gzip.</exception>
    public static List<string> ReadWords(string path)
    {
        string text;
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path} is not a readable PTB text file: {e.Message}", e);
        }
        text = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace("\n", EndOfSentence);
        return [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];
    }

    private static List<string> ReadWords(string dir, string split) => ReadWords(Find(dir, split));

    private static string Find(string dir, string split)
    {
        string raw = Path.Combine(dir, $"ptb.{split}.txt");
        if (File.Exists(raw)) return raw;
        if (File.Exists(raw + ".gz")) return raw + ".gz";
        throw new FileNotFoundException($"PTB {split} split not found in '{dir}': expected ptb.{split}.txt or ptb.{split}.txt.gz", raw);
    }
}
