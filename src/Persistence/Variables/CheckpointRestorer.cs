using GpuTrain.Persistence.Bundle;

namespace GpuTrain.Persistence.Variables;

/// <summary>
/// Restores variables by checkpoint name, all or nothing: every tensor is looked up, checked against its
/// variable's dtype and shape, read and CRC-verified before the first variable is assigned.
/// </summary>
public static class CheckpointRestorer
{
    /// <summary>Assigns each variable the tensor stored under its key in the checkpoint <paramref name="prefix"/>.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint or one of its data files is missing.</exception>
    /// <exception cref="KeyNotFoundException">A key is not in the checkpoint.</exception>
    /// <exception cref="InvalidDataException">A dtype or shape differs, or the files are corrupt.</exception>
    public static void Restore(string prefix, IReadOnlyDictionary<string, ICheckpointVariable> variables)
    {
        var reader = TensorBundleReader.Open(prefix);
        var staged = new List<(ICheckpointVariable Variable, byte[] Data)>(variables.Count);
        foreach (var (key, variable) in variables.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!reader.Contains(key))
                throw new KeyNotFoundException($"checkpoint {prefix} has no tensor '{key}' (needed by variable '{variable.Name}')");
            var entry = reader.Entry(key);
            if (entry.DType != variable.DType)
                throw new InvalidDataException(
                    $"tensor '{key}' in checkpoint {prefix} is {DTypeInfo.Name(entry.DType)}, but variable '{variable.Name}' is {DTypeInfo.Name(variable.DType)}");
            if (!entry.Shape.SequenceEqual(variable.Shape))
                throw new InvalidDataException(
                    $"tensor '{key}' in checkpoint {prefix} has shape {TensorShapes.Format(entry.Shape)}, but variable '{variable.Name}' has shape {TensorShapes.Format(variable.Shape)}");
            staged.Add((variable, reader.Read(key).Data));
        }
        foreach (var (variable, data) in staged) variable.WriteFrom(data);
    }

    /// <summary>The tensors of <paramref name="variables"/> as they are now, keyed by checkpoint name.</summary>
    /// <param name="variables">Checkpoint key of each variable.</param>
    /// <param name="buffer">
    /// Supplies the byte array for a key and size (default: a new one). A saver passes arrays it
    /// reuses from save to save: fresh memory costs a page fault per 4 KiB on first touch. A variable
    /// that has captured its own bytes (<see cref="ICapturedCheckpointVariable"/>) gives those instead.
    /// </param>
    public static List<BundleTensor> Snapshot(IReadOnlyDictionary<string, ICheckpointVariable> variables, Func<string, long, byte[]>? buffer = null)
    {
        var tensors = new List<BundleTensor>(variables.Count);
        foreach (var (key, variable) in variables)
        {
            long bytes = TensorShapes.ElementCount(variable.Shape, key) * DTypeInfo.ElementSize(variable.DType);
            byte[] data;
            if (variable is ICapturedCheckpointVariable captured) data = captured.CapturedBytes(); // FromBytes checks its length
            else
            {
                data = buffer?.Invoke(key, bytes) ?? new byte[bytes];
                variable.ReadInto(data);
            }
            tensors.Add(BundleTensor.FromBytes(key, variable.DType, variable.Shape, data));
        }
        return tensors;
    }
}
