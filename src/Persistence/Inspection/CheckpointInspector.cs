using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.State;

namespace GpuTrain.Persistence.Inspection;

/// <summary>
/// What <c>gputrain inspect</c> shows: a checkpoint's tensors (name, dtype, shape, bytes) and one
/// tensor's values, as text or compact JSON (one line: pipe it to jq to indent it). Values are listed in full up to <see cref="MaxListedValues"/>
/// elements; larger tensors get summary statistics and their first elements.
/// </summary>
public static class CheckpointInspector
{
    /// <summary>Tensors up to this many elements are printed in full.</summary>
    public const int MaxListedValues = 100;

    private const int PreviewValues = 10;

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The checkpoint prefix named by <paramref name="path"/>: a prefix or an .index file (anywhere: the
    /// user named it), or a directory (its newest checkpoint, decided by its own files).
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing there, or a directory without checkpoints.</exception>
    public static string ResolvePrefix(string path)
    {
        if (Directory.Exists(path))
            return CheckpointStateFile.LatestCheckpoint(path)
                ?? throw new FileNotFoundException($"{path} holds no checkpoint (no .index file)");
        string prefix = BundleNaming.PrefixOf(path);
        if (!File.Exists(BundleNaming.IndexFile(prefix)))
            throw new FileNotFoundException($"{path}: no checkpoint there (neither a directory nor {BundleNaming.IndexFile(prefix)})");
        return prefix;
    }

    /// <summary>The listing of every tensor.</summary>
    public static string Describe(TensorBundleReader reader, bool asJson)
    {
        if (asJson)
        {
            return JsonSerializer.Serialize(new
            {
                Checkpoint = reader.Prefix,
                reader.NumShards,
                Tensors = reader.Entries.Select(e => new { e.Name, Dtype = DTypeInfo.Name(e.DType), e.Shape, Bytes = e.ByteSize }),
            }, Json);
        }
        var text = new StringBuilder();
        text.AppendLine($"checkpoint {reader.Prefix} ({reader.NumShards} shard(s), {reader.Entries.Count} tensors)");
        int width = reader.Entries.Select(e => e.Name.Length).DefaultIfEmpty(4).Max();
        foreach (var e in reader.Entries)
            text.AppendLine($"{e.Name.PadRight(width)}  {DTypeInfo.Name(e.DType),-12} {TensorShapes.Format(e.Shape),-16} {e.ByteSize,12} bytes");
        return text.ToString();
    }

    /// <summary>The values of tensor <paramref name="name"/> (CRC-verified), or their summary when large.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    public static string DescribeTensor(TensorBundleReader reader, string name, bool asJson)
    {
        var tensor = reader.Read(name);
        string header = $"{name}  {DTypeInfo.Name(tensor.DType)} {TensorShapes.Format(tensor.Shape)}";
        if (tensor.DType == DataType.DtString) return DescribeStrings(tensor, header, asJson);
        double[] values = TensorValues.ToDoubles(tensor);
        bool full = values.Length <= MaxListedValues;
        var summary = full ? null : ValueSummary.Of(values);
        double[] shown = full ? values : values[..PreviewValues];
        if (asJson)
            return JsonSerializer.Serialize(new { Name = name, Dtype = DTypeInfo.Name(tensor.DType), tensor.Shape, Summary = summary, Values = shown }, Json);
        var text = new StringBuilder(header).Append('\n');
        if (summary is not null)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"count={summary.Count} min={summary.Min:R} max={summary.Max:R} mean={summary.Mean:R} std={summary.Std:R} nan={summary.NaNs}"));
        text.Append('[').Append(string.Join(", ", shown.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        text.AppendLine(full ? "]" : $", ... ({values.Length} total)]");
        return text.ToString();
    }

    // UTF-8 text is shown as text; binary strings (e.g. a serialized object graph) as escaped bytes in
    // text output and base64 in JSON, so no byte is silently replaced.
    private static string DescribeStrings(BundleTensor tensor, string header, bool asJson)
    {
        byte[][] strings = tensor.ToStrings();
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        bool allText = strings.All(s => { try { strict.GetString(s); return true; } catch (DecoderFallbackException) { return false; } });
        if (asJson)
        {
            return allText
                ? JsonSerializer.Serialize(new { tensor.Name, Dtype = "DT_STRING", tensor.Shape, Values = strings.Select(s => strict.GetString(s)) }, Json)
                : JsonSerializer.Serialize(new { tensor.Name, Dtype = "DT_STRING", tensor.Shape, ValuesBase64 = strings.Select(Convert.ToBase64String) }, Json);
        }
        var text = new StringBuilder(header).Append('\n');
        foreach (byte[] s in strings.Take(MaxListedValues))
            text.AppendLine(allText ? JsonSerializer.Serialize(strict.GetString(s)) : EscapedBytes(s));
        if (strings.Length > MaxListedValues) text.AppendLine($"... ({strings.Length} total)");
        return text.ToString();
    }

    private static string EscapedBytes(byte[] bytes)
    {
        const int limit = 120;
        var text = new StringBuilder("b'");
        foreach (byte b in bytes.Take(limit))
            text.Append(b is >= 0x20 and < 0x7f and not (byte)'\\' and not (byte)'\'' ? ((char)b).ToString() : $"\\x{b:x2}");
        text.Append('\'');
        if (bytes.Length > limit) text.Append($"...({bytes.Length} bytes)");
        return text.ToString();
    }
}
