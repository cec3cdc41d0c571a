using ILGPU;

namespace GpuTrain.Runtime.Ops;

/// <summary>Argument checks shared by the launch wrappers: a bad shape fails on the host, by name.</summary>
internal static class ViewChecks
{
    public static void SameLength<TA, TB>(ArrayView<TA> a, ArrayView<TB> b, string aName, string bName)
        where TA : unmanaged where TB : unmanaged
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"{bName} has {b.Length} elements but {aName} has {a.Length}.", bName);
    }

    public static void Length<T>(ArrayView<T> view, long expected, string name) where T : unmanaged
    {
        if (view.Length != expected)
            throw new ArgumentException($"{name} has {view.Length} elements, expected {expected}.", name);
    }

    public static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }

    /// <summary>Checks that <paramref name="view"/> holds a whole number of rows of <paramref name="cols"/> and returns the row count.</summary>
    public static int Rows<T>(ArrayView<T> view, int cols, string name) where T : unmanaged
    {
        Positive(cols, nameof(cols));
        if (view.Length % cols != 0)
            throw new ArgumentException($"{name} has {view.Length} elements, not a whole number of rows of {cols}.", name);
        return checked((int)(view.Length / cols));
    }

    /// <summary>The launch extent of a one-thread-per-element kernel (ILGPU's Index1D is an int).</summary>
    public static int Extent<T>(ArrayView<T> view, string name) where T : unmanaged =>
        view.Length <= int.MaxValue
            ? (int)view.Length
            : throw new ArgumentException($"{name} has {view.Length} elements, more than one launch covers ({int.MaxValue}).", name);
}
