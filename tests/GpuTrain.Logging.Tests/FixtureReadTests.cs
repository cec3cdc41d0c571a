using System.Globalization;
using System.Text.RegularExpressions;
using GpuTrain.Logging.Reading;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

/// <summary>Every real TensorFlow event file in the fixtures reads back with the scalars the checker prints.</summary>
public partial class FixtureReadTests
{
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        if (SharedDir.Path is null) return data;
        foreach (string f in Directory.EnumerateFiles(SharedDir.Combine("fixtures", "tf"), "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f).Contains("tfevents")).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(SharedDir.Require(), f));
        return data;
    }

    [SharedFact]
    public void FixturesHoldEventFiles() => Assert.True(FixtureFiles().Count >= 5);

    [SharedTheory]
    [MemberData(nameof(FixtureFiles))]
    public void ScalarsMatchTheChecker(string relativePath)
    {
        string path = SharedDir.Combine(relativePath);
        var expected = CheckerScalars(path);
        var extractor = new ScalarExtractor();
        var events = EventFileReader.Read(path).ToList();
        var actual = events.SelectMany(extractor.Extract).Select(p => (p.Step, p.Tag, p.Value)).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
    }

    [SharedFact]
    public void TensorEncodedScalarsOfTheSyntheticFileMatchTheChecker()
    {
        using var dir = new TempDir();
        RunPython(SharedDir.Combine("tools", "tfcheck", "make_synthetic.py"), dir.Path);
        string path = TestEvents.OnlyFile(dir.Combine("logs"));
        var expected = CheckerScalars(path);
        Assert.Contains(CheckerOutput(path).Split('\n'), l => l.Contains("scalar(tensor"));
        var actual = ScalarLog.Load(path).Select(p => (p.Step, p.Tag, p.Value)).ToList();
        Assert.Equal(expected, actual);
    }

    private static List<(long Step, string Tag, double Value)> CheckerScalars(string path)
    {
        var list = new List<(long, string, double)>();
        foreach (string line in CheckerOutput(path).Split('\n'))
        {
            var m = ScalarLine().Match(line.TrimEnd('\r'));
            if (m.Success)
                list.Add((long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, ParsePythonFloat(m.Groups[3].Value)));
        }
        return list;
    }

    private static string CheckerOutput(string path)
    {
        var result = TfCheck.Run("events", path);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Output;
    }

    private static double ParsePythonFloat(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, CultureInfo.InvariantCulture),
    };

    private static void RunPython(string script, string arg)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(arg);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    // "  [7] step=1 wall=1567052932.469 scalar(simple_value) loss = 208.61422729492188"
    [GeneratedRegex(@"^\s+\[\d+\] step=(-?\d+) wall=\S+ scalar\((?:simple_value|tensor [^)]*)\) (.*) = (\S+)$")]
    private static partial Regex ScalarLine();
}
