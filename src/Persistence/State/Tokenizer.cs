using System.Globalization;
using System.Text;

namespace GpuTrain.Persistence.State;

/// <summary>Just enough of the protobuf text-format lexer for a flat message of strings and numbers.</summary>
internal sealed class Tokenizer(string text)
{
    private int _pos;

    /// <summary>The next field name followed by its colon, or null at the end.</summary>
    public string? NextField()
    {
        SkipSpaceAndComments();
        if (_pos >= text.Length) return null;
        int start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
        if (_pos == start) throw new FormatException($"expected a field name at offset {start}");
        string name = text[start.._pos];
        SkipSpaceAndComments();
        if (_pos >= text.Length || text[_pos] != ':') throw new FormatException($"expected ':' after '{name}'");
        _pos++;
        SkipSpaceAndComments();
        return name;
    }

    /// <summary>One or more adjacent quoted strings, unescaped and concatenated.</summary>
    public string StringValue(string field)
    {
        var bytes = new List<byte>();
        if (_pos >= text.Length || (text[_pos] != '"' && text[_pos] != '\''))
            throw new FormatException($"field '{field}' needs a quoted string");
        while (_pos < text.Length && (text[_pos] == '"' || text[_pos] == '\''))
        {
            ReadQuoted(bytes, field);
            SkipSpaceAndComments();
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>A number (an optional f/F suffix allowed, as text_format does).</summary>
    public double NumberValue(string field)
    {
        int start = _pos;
        while (_pos < text.Length && !char.IsWhiteSpace(text[_pos]) && text[_pos] != '#') _pos++;
        string token = text[start.._pos].TrimEnd('f', 'F');
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"field '{field}': bad number '{text[start.._pos]}'");
        return value;
    }

    private void ReadQuoted(List<byte> output, string field)
    {
        char quote = text[_pos++];
        while (true)
        {
            if (_pos >= text.Length || text[_pos] == '\n') throw new FormatException($"field '{field}': unterminated string");
            char c = text[_pos++];
            if (c == quote) return;
            if (c != '\\')
            {
                output.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            if (_pos >= text.Length) throw new FormatException($"field '{field}': unterminated escape");
            char e = text[_pos++];
            switch (e)
            {
                case 'n': output.Add((byte)'\n'); break;
                case 'r': output.Add((byte)'\r'); break;
                case 't': output.Add((byte)'\t'); break;
                case 'a': output.Add(7); break;
                case 'b': output.Add(8); break;
                case 'f': output.Add(12); break;
                case 'v': output.Add(11); break;
                case '"' or '\'' or '\\' or '?': output.Add((byte)e); break;
                case >= '0' and <= '7': output.Add(ReadDigits(e, 8, 3, field)); break;
                case 'x': output.Add(ReadDigits(null, 16, 2, field)); break;
                default: throw new FormatException($"field '{field}': unknown escape '\\{e}'");
            }
        }
    }

    private byte ReadDigits(char? first, int radix, int maxDigits, string field)
    {
        string digits = first?.ToString() ?? "";
        string allowed = radix == 8 ? "01234567" : "0123456789abcdefABCDEF";
        while (digits.Length < maxDigits && _pos < text.Length && allowed.Contains(text[_pos])) digits += text[_pos++];
        if (digits.Length == 0) throw new FormatException($"field '{field}': empty \\x escape");
        int value = Convert.ToInt32(digits, radix);
        return value <= 0xff ? (byte)value : throw new FormatException($"field '{field}': escape value {value} exceeds a byte");
    }

    private void SkipSpaceAndComments()
    {
        while (_pos < text.Length)
        {
            if (char.IsWhiteSpace(text[_pos])) _pos++;
            else if (text[_pos] == '#') while (_pos < text.Length && text[_pos] != '\n') _pos++;
            else return;
        }
    }
}
