using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Saving;

public sealed class SaverOptionsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HostVariable<float> _kernel = new("dense/kernel", DataType.DtFloat, [2, 3]);
    private readonly HostVariable<long> _step = new("global_step", DataType.DtInt64, []);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(3, 5, 1.0, "options.NumShards")]
    [InlineData(0, 5, 1.0, "options.NumShards")]
    [InlineData(1, -2, 1.0, "options.MaxToKeep")]
    [InlineData(1, 5, -1.0, "options.KeepCheckpointEveryNHours")]
    [InlineData(1, 5, double.NaN, "options.KeepCheckpointEveryNHours")]
    public void OptionsOutOfRangeAreRefusedNamingTheOption(int shards, int maxToKeep, double hours, string parameter)
    {
        var options = new SaverOptions { NumShards = shards, MaxToKeep = maxToKeep, KeepCheckpointEveryNHours = hours };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Saver([_kernel, _step], options));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void RotationDeletesDataFilesOfAnyNumberWidthAndNothingElse()
    {
        var saver = new Saver([_kernel, _step], new SaverOptions { MaxToKeep = 1, NumShards = 2 });
        saver.Save(_dir.Combine("model"), 1);
        // TF's %05d grows past five digits; a neighbour whose name only starts the same must stay.
        string wide = _dir.Combine("model-1.data-100000-of-100001");
        string neighbour = _dir.Combine("model-10.data-00000-of-00001");
        string unrelated = _dir.Combine("model-1.data-notes.txt");
        foreach (string f in new[] { wide, neighbour, unrelated }) File.WriteAllText(f, "x");

        saver.Save(_dir.Combine("model"), 2);

        Assert.False(File.Exists(wide));
        Assert.Empty(Directory.GetFiles(_dir.Path, "model-1.data-0*"));
        Assert.True(File.Exists(neighbour));
        Assert.True(File.Exists(unrelated));
        Assert.True(File.Exists(_dir.Combine("model-2.index")));
    }
}
