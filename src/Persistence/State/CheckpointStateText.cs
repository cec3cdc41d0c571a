using System.Globalization;
using System.Text;

namespace GpuTrain.Persistence.State;

/// <summary>
/// The protobuf text format of <see cref="CheckpointState"/>, as <c>text_format.MessageToString</c>
/// writes it and <c>text_format.Merge</c> reads it (C-escaped strings, one field a line).
/// </summary>
internal static class CheckpointStateText
{
    /// <summary>The text of <paramref name="state"/>.</summary>
    public static string Format(CheckpointState state)
    {
        var text = new StringBuilder();
        text.Append("model_checkpoint_path: ").Append(Quote(state.ModelCheckpointPath)).Append('\n');
        foreach (string p in state.AllModelCheckpointPaths)
            text.Append("all_model_checkpoint_paths: ").Append(Quote(p)).Append('\n');
        foreach (double t in state.AllModelCheckpointTimestamps)
            text.Append("all_model_checkpoint_timestamps: ").Append(FormatDouble(t)).Append('\n');
        if (state.LastPreservedTimestamp is { } last)
            text.Append("last_preserved_timestamp: ").Append(FormatDouble(last)).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses a state file's text.</summary>
    /// <exception cref="FormatException">Not a valid CheckpointState (names the problem).</exception>
    public static CheckpointState Parse(string text)
    {
        string? model = null;
        var paths = new List<string>();
        var timestamps = new List<double>();
        double? lastPreserved = null;
        var tokens = new Tokenizer(text);
        while (tokens.NextField() is { } field)
        {
            switch (field)
            {
                case "model_checkpoint_path": model = tokens.StringValue(field); break;
                case "all_model_checkpoint_paths": paths.Add(tokens.StringValue(field)); break;
                case "all_model_checkpoint_timestamps": timestamps.Add(tokens.NumberValue(field)); break;
                case "last_preserved_timestamp": lastPreserved = tokens.NumberValue(field); break;
                default: throw new FormatException($"unknown field '{field}'");
            }
        }
        if (string.IsNullOrEmpty(model)) throw new FormatException("model_checkpoint_path is missing or empty");
        if (timestamps.Count != 0 && timestamps.Count != paths.Count)
            throw new FormatException($"{timestamps.Count} timestamps for {paths.Count} checkpoint paths");
        return new CheckpointState
        {
            ModelCheckpointPath = model,
            AllModelCheckpointPaths = paths,
            AllModelCheckpointTimestamps = timestamps,
            LastPreservedTimestamp = lastPreserved,
        };
    }

    // Python's repr of a float round-trips; "R" is the .NET equivalent.
    private static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Like Python's text_format (as_utf8=False): printable ASCII as is, everything else octal-escaped.
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\'' => "\\'",
                (byte)'\\' => "\\\\",
                < 0x20 or >= 0x7f => "\\" + Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => ((char)b).ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
