namespace GpuTrain.Persistence.Variables;

/// <summary>Builds the checkpoint-name -> variable map a Saver works on (TF's var_list as a list or a dict).</summary>
internal static class VariableMap
{
    /// <summary>Each variable under its own name.</summary>
    /// <exception cref="ArgumentException">Two variables share a name.</exception>
    public static IReadOnlyDictionary<string, ICheckpointVariable> ByName(IEnumerable<ICheckpointVariable> variables)
    {
        var map = new Dictionary<string, ICheckpointVariable>(StringComparer.Ordinal);
        foreach (var v in variables)
            if (!map.TryAdd(v.Name, v)) throw new ArgumentException($"two variables are named '{v.Name}'", nameof(variables));
        return map;
    }
}
