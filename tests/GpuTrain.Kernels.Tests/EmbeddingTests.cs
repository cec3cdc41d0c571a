using GpuTrain.Runtime.Ops;
using GpuTrain.TestSupport;
using static GpuTrain.Kernels.Tests.TestData;

namespace GpuTrain.Kernels.Tests;

/// <summary>The embedding gather and its deterministic row-accumulating gradient against host loops.</summary>
[Collection(DeviceCollection.Name)]
[Trait("Category", TestDevice.Category)]
public sealed class EmbeddingTests(KernelTestDevice device)
{
    private const int Vocab = 9, Width = 5;
    private static readonly int[] Ids = [3, 0, 3, 8, 3, 1, 0];

    [DeviceFact]
    public void GatherCopiesTheRowOfEachId()
    {
        var d = device.Device;
        float[] table = Values(Vocab * Width, 60);
        using var ids = Upload(d, Ids);
        using var t = Upload(d, table);
        using var output = Upload(d, new float[Ids.Length * Width]);
        EmbeddingOps.Gather(d, ids.View, t.View, Width, output.View);
        float[] expected = Ids.SelectMany(id => table.Skip(id * Width).Take(Width)).ToArray();
        Assert.Equal(expected, Download(output));
    }

    [DeviceFact]
    public void BackwardAddsEachPositionsGradientToItsRowOnly()
    {
        var d = device.Device;
        float[] dOutput = Values(Ids.Length * Width, 61);
        float[] initial = Values(Vocab * Width, 62);
        using var occurrences = new EmbeddingOccurrences(d, Ids.Length);
        occurrences.Upload(Ids);
        using var dOut = Upload(d, dOutput);
        using var dTable = Upload(d, (float[])initial.Clone());
        EmbeddingOps.Backward(d, occurrences, dOut.View, Width, dTable.View);

        // The same sums in the same order (positions increasing), so the results match bit for bit.
        float[] expected = (float[])initial.Clone();
        foreach (int id in Ids.Distinct())
            for (int k = 0; k < Width; k++)
            {
                float sum = 0f;
                for (int p = 0; p < Ids.Length; p++)
                    if (Ids[p] == id) sum += dOutput[p * Width + k];
                expected[id * Width + k] += sum;
            }
        Assert.Equal(4, occurrences.DistinctRows);
        Assert.Equal(expected, Download(dTable));
        // Rows no id used (2, 4..7) are untouched.
        foreach (int row in new[] { 2, 4, 5, 6, 7 })
            Assert.Equal(initial.Skip(row * Width).Take(Width), Download(dTable).Skip(row * Width).Take(Width));
    }

    [DeviceFact]
    public void OccurrencesRejectABatchOfAnotherLength()
    {
        using var occurrences = new EmbeddingOccurrences(device.Device, 4);
        var error = Assert.Throws<ArgumentException>(() => occurrences.Upload([1, 2, 3]));
        Assert.Contains("planned for 4 ids", error.Message);
    }
}
