using System.IO.Compression;

namespace GpuTrain.Runtime.Text;

/// <summary>
/// A text8-style corpus: words separated by spaces (Matt Mahoney's text8 is one 100 MB line of
/// lowercase a-z words). Words are kept as ids in order of first appearance with their counts, so a
/// 17M-word file costs one int per word plus one string per distinct word.
/// </summary>
public sealed class Text8Corpus
{
    private Text8Corpus(string name, string[] types, long[] counts, int[] tokens)
    {
        Name = name;
        Types = types;
        Counts = counts;
        Tokens = tokens;
    }

    /// <summary>Where the corpus came from (the file name).</summary>
    public string Name { get; }

    /// <summary>Distinct words in order of first appearance.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>How often each of <see cref="Types"/> occurs.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>The text as indices into <see cref="Types"/>.</summary>
    public int[] Tokens { get; }

    /// <summary>
    /// Reads <paramref name="path"/>, plain or gzip'd (recognised by its magic bytes, whatever its name);
    /// <paramref name="progress"/>, if given, receives (bytes parsed, bytes) as the text is parsed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not valid gzip, or holds a character other than a-z and white space.</exception>
    public static Text8Corpus Load(string path, IProgress<(long Done, long Total)>? progress = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"text8 corpus '{path}' does not exist", path);
        byte[] bytes;
        try
        {
            bytes = IsGzip(path) ? Gunzip(path) : File.ReadAllBytes(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"text8 corpus '{path}': not a valid gzip file ({e.Message})", e);
        }
        return Parse(Path.GetFileName(path), bytes, progress);
    }

    /// <summary>Parses the bytes of a corpus named <paramref name="name"/> (for messages); <paramref name="progress"/> as in <see cref="Load"/>.</summary>
    /// <exception cref="InvalidDataException">No words, or a character other than a-z and white space.</exception>
    public static Text8Corpus Parse(string name, ReadOnlySpan<byte> text, IProgress<(long Done, long Total)>? progress = null)
    {
        const int ReportEvery = 1 << 20;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var types = new List<string>();
        var counts = new List<long>();
        var tokens = new List<int>(text.Length / 5);
        Span<char> word = stackalloc char[256];
        int length = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i % ReportEvery == 0) progress?.Report((i, text.Length));
            byte c = i < text.Length ? text[i] : (byte)' ';
            if (c is >= (byte)'a' and <= (byte)'z')
            {
                if (length == word.Length)
                    throw new InvalidDataException($"text8 corpus '{name}': a word longer than {word.Length} letters at byte {i}");
                word[length++] = (char)c;
                continue;
            }
            if (c is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                throw new InvalidDataException(
                    $"text8 corpus '{name}': byte {i} is 0x{c:x2} ('{(char)c}'); text8 holds only lowercase a-z words separated by spaces");
            if (length == 0) continue;
            var key = word[..length];
            if (!lookup.TryGetValue(key, out int id))
            {
                id = types.Count;
                string s = new(key);
                ids.Add(s, id);
                types.Add(s);
                counts.Add(0);
            }
            counts[id]++;
            tokens.Add(id);
            length = 0;
        }
        progress?.Report((text.Length, text.Length));
        if (tokens.Count == 0) throw new InvalidDataException($"text8 corpus '{name}' holds no words");
        return new Text8Corpus(name, [.. types], [.. counts], [.. tokens]);
    }

    private static bool IsGzip(string path)
    {
        using var f = File.OpenRead(path);
        return f.ReadByte() == 0x1f && f.ReadByte() == 0x8b;
    }

    private static byte[] Gunzip(string path)
    {
        using var f = File.OpenRead(path);
        using var gz = new GZipStream(f, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        return memory.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Tokens.Length} words, {Types.Count} distinct";
}
