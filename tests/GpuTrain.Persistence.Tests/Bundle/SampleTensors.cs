using System.Text;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;

namespace GpuTrain.Persistence.Tests.Bundle;

/// <summary>Tensors covering every dtype GpuTrain writes, empty tensors, scalars and awkward names.</summary>
public static class SampleTensors
{
    /// <summary>The sample set (names with '/', unicode and shared prefixes included).</summary>
    public static List<BundleTensor> All() =>
    [
        BundleTensor.FromValues<float>("conv1/kernel", DataType.DtFloat, [2, 3], [0.5f, -1.25f, 3e-8f, float.MaxValue, float.NegativeInfinity, float.NaN]),
        BundleTensor.FromValues<float>("conv1/kernel/Adam", DataType.DtFloat, [2], [1f, 2f]),
        BundleTensor.FromValues<float>("conv1/kernel/Adam_1", DataType.DtFloat, [2], [3f, 4f]),
        BundleTensor.FromValues<double>("f64", DataType.DtDouble, [3], [Math.PI, -0.0, 1e300]),
        BundleTensor.FromValues<Half>("f16", DataType.DtHalf, [3], [(Half)0.5f, (Half)(-2f), Half.MaxValue]),
        BundleTensor.FromValues<ushort>("bf16", DataType.DtBfloat16, [2], [0x3f80, 0xc000]), // 1.0, -2.0
        BundleTensor.FromValues<sbyte>("i8", DataType.DtInt8, [4], [-128, -1, 0, 127]),
        BundleTensor.FromValues<short>("i16", DataType.DtInt16, [2], [short.MinValue, short.MaxValue]),
        BundleTensor.FromValues<int>("i32", DataType.DtInt32, [2, 2], [int.MinValue, -1, 7, int.MaxValue]),
        BundleTensor.FromValues<long>("i64", DataType.DtInt64, [2], [long.MinValue, long.MaxValue]),
        BundleTensor.FromValues<byte>("u8", DataType.DtUint8, [3], [0, 128, 255]),
        BundleTensor.FromValues<bool>("flags", DataType.DtBool, [3], [true, false, true]),
        BundleTensor.FromValues<long>("global_step", DataType.DtInt64, [], [3000]),
        BundleTensor.FromValues<float>("scalar", DataType.DtFloat, [], [0.25f]),
        BundleTensor.FromValues<float>("empty", DataType.DtFloat, [0], []),
        BundleTensor.FromValues<int>("empty/2d", DataType.DtInt32, [3, 0], []),
        BundleTensor.FromStrings("words", [3], [Encoding.UTF8.GetBytes("hello"), [], Encoding.UTF8.GetBytes("wörter ✓")]),
        BundleTensor.FromStrings("words/scalar", [], [Encoding.UTF8.GetBytes("one")]),
        BundleTensor.FromStrings("words/empty", [0], []),
        BundleTensor.FromValues<float>("名前/変数", DataType.DtFloat, [1], [42f]),
        BundleTensor.FromValues<float>("a", DataType.DtFloat, [1], [1f]),
        BundleTensor.FromValues<float>("a/b", DataType.DtFloat, [1], [2f]),
        BundleTensor.FromValues<float>("ab", DataType.DtFloat, [1], [3f]),
    ];
}
