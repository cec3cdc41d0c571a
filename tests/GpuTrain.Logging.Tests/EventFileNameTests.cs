using GpuTrain.Logging.Writing;

namespace GpuTrain.Logging.Tests;

public sealed class EventFileNameTests
{
    [Fact]
    public void FilesOpenedInTheSameSecondSortInCreationOrderPastTheTenth()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);
        var created = Enumerable.Range(0, 25).Select(_ => EventFileName.Create(now)).ToList();
        Assert.Equal(created, created.Order(StringComparer.Ordinal));
        Assert.All(created, name => Assert.StartsWith("events.out.tfevents.1795000000.", name));
        Assert.Equal(created.Count, created.Distinct().Count());
    }
}
