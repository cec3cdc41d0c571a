using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Bundle;

/// <summary>Conversions and TF's validity rules for shapes (TensorShape::IsValid).</summary>
internal static class TensorShapes
{
    /// <summary>TF's maximum rank.</summary>
    public const int MaxRank = 254;

    /// <summary>The proto of <paramref name="dims"/>.</summary>
    public static TensorShapeProto ToProto(IReadOnlyList<long> dims)
    {
        var proto = new TensorShapeProto();
        foreach (long d in dims) proto.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return proto;
    }

    /// <summary>The dimensions of a valid stored shape.</summary>
    /// <exception cref="InvalidDataException">Unknown rank, a negative dimension, rank over 254 or an element count that overflows.</exception>
    public static long[] FromProto(TensorShapeProto? proto, string what)
    {
        if (proto is null) return [];
        if (proto.UnknownRank) throw new InvalidDataException($"{what}: shape has unknown rank");
        if (proto.Dim.Count > MaxRank) throw new InvalidDataException($"{what}: rank {proto.Dim.Count} exceeds {MaxRank}");
        long[] dims = proto.Dim.Select(d => d.Size).ToArray();
        ElementCount(dims, what);
        return dims;
    }

    /// <summary>The number of elements (1 for a scalar).</summary>
    /// <exception cref="InvalidDataException">A negative dimension or overflow.</exception>
    public static long ElementCount(IReadOnlyList<long> dims, string what)
    {
        long n = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new InvalidDataException($"{what}: negative dimension in shape {Format(dims)}");
            try { n = checked(n * d); }
            catch (OverflowException) { throw new InvalidDataException($"{what}: element count of shape {Format(dims)} overflows"); }
        }
        return n;
    }

    /// <summary>Formats dims as <c>[2, 3]</c>.</summary>
    public static string Format(IReadOnlyList<long> dims) => "[" + string.Join(", ", dims) + "]";
}
