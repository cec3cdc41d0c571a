using System.IO.Hashing;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Variables;

namespace GpuTrain.Distributed.Probe;

/// <summary>
/// The training state the checkpoint modes save and restore: a layer's parameters and Adam slots and
/// the global step, with values that depend on the step, so a restore can be checked by checksum.
/// </summary>
public static class ProbeVariables
{
    /// <summary>The variables holding the state of step <paramref name="step"/> (all zero when <paramref name="step"/> is 0).</summary>
    public static ICheckpointVariable[] Create(long step)
    {
        var kernel = new HostVariable<float>("dense/kernel", DataType.DtFloat, [64, 33]);
        var bias = new HostVariable<float>("dense/bias", DataType.DtFloat, [33]);
        var m = new HostVariable<float>("dense/kernel/Adam", DataType.DtFloat, [64, 33]);
        var v = new HostVariable<float>("dense/kernel/Adam_1", DataType.DtFloat, [64, 33]);
        var global = new HostVariable<long>("global_step", DataType.DtInt64, []);
        if (step != 0)
        {
            for (int i = 0; i < kernel.Values.Length; i++)
                (kernel.Values[i], m.Values[i], v.Values[i]) = (MathF.Sin(i + step), i * 1e-3f * step, 1f / (i + step));
            for (int i = 0; i < bias.Values.Length; i++) bias.Values[i] = i - step;
            global.Value = step;
        }
        return [kernel, bias, m, v, global];
    }

    /// <summary>A hash of every variable's bytes, in order.</summary>
    public static ulong Checksum(IEnumerable<ICheckpointVariable> variables)
    {
        var hash = new XxHash64();
        foreach (var variable in variables)
        {
            var bytes = new byte[TensorShapes.ElementCount(variable.Shape, variable.Name) * DTypeInfo.ElementSize(variable.DType)];
            variable.ReadInto(bytes);
            hash.Append(bytes);
        }
        return hash.GetCurrentHashAsUInt64();
    }
}
