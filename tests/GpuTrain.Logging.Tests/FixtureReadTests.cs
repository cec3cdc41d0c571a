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
        foreach (string f in FixturePaths()) data.Add(Path.GetRelativePath(SharedDir.Require(), f));
        return data;
    }

    private static List<string> FixturePaths() =>
        Directory.EnumerateFiles(SharedDir.Combine("fixtures", "tf"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("tfevents")).Order(StringComparer.Ordinal).ToList();

    [SharedFact]
    public void FixturesHoldEventFilesWithScalars()
    {
        var files = FixturePaths();
        Assert.True(files.Count >= 5);
        Assert.True(files.Sum(f => CheckerScalars(f).Count) > 100);  // the per-file comparisons below are not vacuous
    }

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
        string output = CheckerOutput(path);
        Assert.Contains("scalar(tensor", output);
        var expected = ParseScalars(output);
        var actual = ScalarLog.Load(path).Select(p => (p.Step, p.Tag, p.Value)).ToList();
        Assert.Equal(expected, actual);
    }

    /// <summary>The checker run once over all fixtures, its output split per file ("== events PATH" opens each).</summary>
    private static readonly Lazy<Dictionary<string, string>> FixtureOutputs = new(() =>
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var text = new System.Text.StringBuilder();
        foreach (string line in CheckerOutput(SharedDir.Combine("fixtures", "tf")).Split('\n'))
        {
            if (line.StartsWith("== events ", StringComparison.Ordinal))
            {
                if (current is not null) sections[current] = text.ToString();
                current = Path.GetFullPath(line["== events ".Length..].TrimEnd('\r'));
                text.Clear();
            }
            text.AppendLine(line);
        }
        if (current is not null) sections[current] = text.ToString();
        return sections;
    });

    private static List<(long Step, string Tag, double Value)> CheckerScalars(string path)
    {
        Assert.True(FixtureOutputs.Value.TryGetValue(Path.GetFullPath(path), out string? section), $"checker printed no section for {path}");
        return ParseScalars(section);
    }

    private static List<(long Step, string Tag, double Value)> ParseScalars(string output)
    {
        var list = new List<(long, string, double)>();
        foreach (string line in output.Split('\n'))
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
