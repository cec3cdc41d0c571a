namespace GpuTrain.Runtime.Tensors;

/// <summary>An immutable tensor shape (row-major, TensorFlow's dimension order).</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape; every dimension must be non-negative.</summary>
    public Shape(params int[] dims)
    {
        foreach (int d in dims)
            if (d < 0) throw new ArgumentException($"shape [{string.Join(", ", dims)}] has a negative dimension", nameof(dims));
        _dims = (int[])dims.Clone();
    }

    /// <summary>The rank-0 shape of a scalar.</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => _dims[axis < 0 ? _dims.Length + axis : axis];

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long Size => _dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>The dimensions as a long array (what checkpoint formats store).</summary>
    public long[] ToLongArray() => _dims.Select(d => (long)d).ToArray();

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", _dims) + "]";

    /// <summary>Implicit conversion from a dimension array.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);
}
