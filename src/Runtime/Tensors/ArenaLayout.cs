namespace GpuTrain.Runtime.Tensors;

/// <summary>
/// The layout of a parameter arena: named slices in declaration order. Built once per model; the
/// gradient and optimizer-slot arenas share it.
/// </summary>
public sealed class ArenaLayout
{
    // Slices start on 16-float (64-byte) boundaries so each tensor is aligned for vector loads.
    private const int Alignment = 16;
    private readonly List<ArenaSlice> _slices = [];

    /// <summary>The slices in the order they were added.</summary>
    public IReadOnlyList<ArenaSlice> Slices => _slices;

    /// <summary>Total number of floats, alignment padding included.</summary>
    public long TotalSize { get; private set; }

    /// <summary>Appends a tensor named <paramref name="name"/> of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public ArenaSlice Add(string name, Shape shape)
    {
        if (_slices.Any(s => s.Name == name))
            throw new ArgumentException($"the arena already has a tensor named '{name}'", nameof(name));
        var slice = new ArenaSlice(name, TotalSize, shape);
        _slices.Add(slice);
        TotalSize += (shape.Size + Alignment - 1) / Alignment * Alignment;
        return slice;
    }
}
