namespace GpuTrain.Runtime.Text;

/// <summary>
/// The word2vec tutorial's vocabulary (build_dataset): id 0 is <c>UNK</c>, ids 1.. are the
/// <c>size - 1</c> most frequent words, most frequent first (ties in order of first appearance, as
/// Python's Counter.most_common gives them); every other word maps to UNK, whose count is the number
/// of words it replaced.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>The word every out-of-vocabulary word becomes, id 0.</summary>
    public const string Unknown = "UNK";

    private readonly Dictionary<string, int> _ids;

    /// <summary>A vocabulary of <paramref name="words"/> in id order (the first must be <see cref="Unknown"/>).</summary>
    /// <exception cref="ArgumentException">The list is empty, does not start with UNK, or repeats a word.</exception>
    public Vocabulary(IReadOnlyList<string> words, IReadOnlyList<long>? counts = null)
    {
        if (words.Count == 0 || words[0] != Unknown)
            throw new ArgumentException($"a vocabulary starts with '{Unknown}' (id 0)", nameof(words));
        if (counts is not null && counts.Count != words.Count)
            throw new ArgumentException($"{counts.Count} counts for {words.Count} words", nameof(counts));
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            if (!_ids.TryAdd(words[i], i)) throw new ArgumentException($"the vocabulary lists '{words[i]}' twice", nameof(words));
        Words = words.ToArray();
        Counts = counts?.ToArray() ?? new long[words.Count];
    }

    /// <summary>Words by id.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Occurrences of each word in the corpus it was built from (UNK: the words it replaced).</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Number of ids.</summary>
    public int Size => Words.Count;

    /// <summary>The id of <paramref name="word"/>, or null when it is not in the vocabulary.</summary>
    public int? IdOf(string word) => _ids.TryGetValue(word, out int id) ? id : null;

    /// <summary>
    /// The <paramref name="vocabularySize"/>-word vocabulary of <paramref name="corpus"/> and the corpus as ids
    /// (the tutorial's <c>data</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The size is below 2.</exception>
    public static (Vocabulary Vocabulary, int[] Data) Build(Text8Corpus corpus, int vocabularySize)
    {
        if (vocabularySize < 2)
            throw new ArgumentException($"the vocabulary needs at least 2 words (UNK and one word); got {vocabularySize}", nameof(vocabularySize));
        int kept = Math.Min(vocabularySize - 1, corpus.Types.Count);
        // A stable sort by count, descending: ties keep first-appearance order.
        var byFrequency = Enumerable.Range(0, corpus.Types.Count).OrderByDescending(t => corpus.Counts[t]).Take(kept).ToArray();
        var idOfType = new int[corpus.Types.Count];
        var words = new string[kept + 1];
        var counts = new long[kept + 1];
        words[0] = Unknown;
        for (int rank = 0; rank < kept; rank++)
        {
            int type = byFrequency[rank];
            idOfType[type] = rank + 1;
            words[rank + 1] = corpus.Types[type];
            counts[rank + 1] = corpus.Counts[type];
        }
        var data = new int[corpus.Tokens.Length];
        long unknown = 0;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = idOfType[corpus.Tokens[i]];
            if (data[i] == 0) unknown++;
        }
        counts[0] = unknown;
        return (new Vocabulary(words, counts), data);
    }

    /// <summary>
    /// Writes the words one a line in id order: TensorBoard's projector metadata (a single column
    /// has no header) and what <c>gputrain similar</c> reads back.
    /// </summary>
    public void WriteMetadata(string path) => File.WriteAllLines(path, Words);

    /// <summary>Reads a vocabulary written by <see cref="WriteMetadata"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It does not start with UNK or repeats a word.</exception>
    public static Vocabulary ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary '{path}' does not exist", path);
        var words = File.ReadAllLines(path);
        try
        {
            return new Vocabulary(words);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"vocabulary '{path}': {e.Message}", e);
        }
    }
}
