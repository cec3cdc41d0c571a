using System.Buffers.Binary;
using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Reading;

/// <summary>
/// Picks the scalars out of a stream of events: legacy <c>simple_value</c>s and TF2 tensor scalars (rank-0
/// DT_FLOAT or DT_DOUBLE tensors whose tag's first metadata names the "scalars" plugin or the scalar data
/// class). Like TensorBoard it remembers the first metadata of each tag, because TF2 writers send it only once.
/// </summary>
internal sealed class ScalarExtractor
{
    private readonly Dictionary<string, SummaryMetadata?> _firstMetadata = new(StringComparer.Ordinal);

    /// <summary>The scalars carried by <paramref name="e"/> (none for non-summary events).</summary>
    public IEnumerable<ScalarPoint> Extract(Event e)
    {
        if (e.WhatCase != Event.WhatOneofCase.Summary) yield break;
        foreach (var v in e.Summary.Value)
        {
            if (!_firstMetadata.TryGetValue(v.Tag, out var metadata))
                _firstMetadata[v.Tag] = metadata = v.Metadata;
            if (v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue)
                yield return new ScalarPoint(e.Step, e.WallTime, v.Tag, v.SimpleValue);
            else if (v.ValueCase == Summary.Types.Value.ValueOneofCase.Tensor && IsScalarPlugin(metadata ?? v.Metadata)
                     && TryReadScalar(v.Tensor, out double value))
                yield return new ScalarPoint(e.Step, e.WallTime, v.Tag, value);
        }
    }

    private static bool IsScalarPlugin(SummaryMetadata? metadata) =>
        metadata is not null && (metadata.PluginData?.PluginName == "scalars" || metadata.DataClass == DataClass.Scalar);

    private static bool TryReadScalar(TensorProto t, out double value)
    {
        value = 0;
        if (t.TensorShape is not null && t.TensorShape.Dim.Count != 0) return false;
        var content = t.TensorContent.Span;
        switch (t.Dtype)
        {
            case DataType.DtFloat when content.Length == 4:
                value = BinaryPrimitives.ReadSingleLittleEndian(content);
                return true;
            case DataType.DtFloat when t.FloatVal.Count == 1:
                value = t.FloatVal[0];
                return true;
            case DataType.DtDouble when content.Length == 8:
                value = BinaryPrimitives.ReadDoubleLittleEndian(content);
                return true;
            case DataType.DtDouble when t.DoubleVal.Count == 1:
                value = t.DoubleVal[0];
                return true;
            default:
                return false;
        }
    }
}
