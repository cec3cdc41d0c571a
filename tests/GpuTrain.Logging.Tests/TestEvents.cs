using GpuTrain.Logging.Proto;
using GpuTrain.Logging.Reading;

namespace GpuTrain.Logging.Tests;

/// <summary>Helpers shared by the tests: the single event file of a folder and its events.</summary>
internal static class TestEvents
{
    public static string OnlyFile(string logDir) => Assert.Single(Directory.GetFiles(logDir, "*tfevents*"));

    public static List<Event> ReadAll(string path) => EventFileReader.Read(path).ToList();

    public static Summary.Types.Value OnlyValue(Event e) => Assert.Single(e.Summary.Value);
}
