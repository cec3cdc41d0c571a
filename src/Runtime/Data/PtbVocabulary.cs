namespace GpuTrain.Runtime.Data;

/// <summary>
/// The word-to-id map of ptb_word_lm's reader: built from the training words, ids assigned by
/// decreasing frequency, ties broken by the word in ordinal (code point) order, as the tutorial's
/// <c>sorted(counter.items(), key=lambda x: (-x[1], x[0]))</c>.
/// </summary>
public sealed class PtbVocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _words;

    private PtbVocabulary(string[] words)
    {
        _words = words;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _ids[words[i]] = i;
    }

    /// <summary>Builds the vocabulary of <paramref name="words"/>.</summary>
    public static PtbVocabulary Build(IEnumerable<string> words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in words) counts[word] = counts.GetValueOrDefault(word) + 1;
        var ordered = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToArray();
        return new PtbVocabulary(ordered);
    }

    /// <summary>Distinct words.</summary>
    public int Count => _words.Length;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>The id of <paramref name="word"/>, or false when it is not in the vocabulary.</summary>
    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);

    /// <summary>
    /// The ids of <paramref name="words"/>, dropping words outside the vocabulary as the tutorial's
    /// <c>_file_to_word_ids</c> does.
    /// </summary>
    public int[] ToIds(IEnumerable<string> words)
    {
        var ids = new List<int>();
        foreach (string word in words)
            if (_ids.TryGetValue(word, out int id)) ids.Add(id);
        return [.. ids];
    }
}
