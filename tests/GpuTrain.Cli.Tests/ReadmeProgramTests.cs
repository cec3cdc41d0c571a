using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GpuTrain.TestSupport;

namespace GpuTrain.Cli.Tests;

/// <summary>
/// README's "A model of your own" programs: the README's csharp blocks are exactly the files under
/// examples/README-*, and each program, built with the solution, trains, its loss falls and its
/// checkpoint and event file pass the independent TF format checker.
/// </summary>
public sealed partial class ReadmeProgramTests : IDisposable
{
    private static readonly string[] Programs = ["examples/README-cnn/Program.cs", "examples/README-lstm/Program.cs"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadmeEmbedsTheExampleProgramsByteForByte()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));
        int start = readme.IndexOf("\n## A model of your own\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## A model of your own' section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];
        var blocks = CsharpBlock().Matches(section).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(Programs.Length, blocks.Length);
        for (int i = 0; i < Programs.Length; i++)
            Assert.True(File.ReadAllText(Path.Combine(RepositoryRoot, Programs[i])) == blocks[i],
                $"README.md's csharp block {i + 1} differs from {Programs[i]}: copy the file into the README");
    }

    [SharedFact]
    public void CnnProgramTrainsItsLossFallsAndItsFilesPassTheChecker()
    {
        string output = RunProgram("ReadmeCnn.dll", Path.Combine(RepositoryRoot, "data", "digits20"), _dir.Path, "60");
        var losses = Regex.Match(output, @"loss: first 10 steps ([0-9.]+), last 10 steps ([0-9.]+)");
        Assert.True(losses.Success, output);
        double first = double.Parse(losses.Groups[1].Value, CultureInfo.InvariantCulture);
        double last = double.Parse(losses.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(first > 2.0 && last < 0.8 * first, $"loss did not fall: {first} -> {last}\n{output}");
        Assert.True(File.Exists(_dir.Combine("model.ckpt-60.index")), output);
        TfCheck.AssertClean("ckpt", _dir.Combine("model.ckpt-60"));
        TfCheck.AssertClean("state", _dir.Path);
        foreach (string events in Directory.GetFiles(_dir.Combine("logs"), "events.out.tfevents.*"))
            TfCheck.AssertClean("events", events);
    }

    [SharedFact]
    public void LstmProgramTrainsItsLossFallsAndTheRestoredModelScoresHeldOutText()
    {
        string text = Path.Combine(RepositoryRoot, "data", "ptb-brown", "ptb.train.txt.gz");
        string output = RunProgram("ReadmeLstm.dll", text, _dir.Path, "100");
        var losses = Regex.Match(output, @"loss per character: first 10 steps ([0-9.]+), last 10 steps ([0-9.]+)");
        var heldOut = Regex.Match(output, @"held-out perplexity per character ([0-9.]+)");
        Assert.True(losses.Success && heldOut.Success, output);
        double first = double.Parse(losses.Groups[1].Value, CultureInfo.InvariantCulture);
        double last = double.Parse(losses.Groups[2].Value, CultureInfo.InvariantCulture);
        double perplexity = double.Parse(heldOut.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(first > 3.0 && last < 0.85 * first, $"loss did not fall: {first} -> {last}\n{output}");
        // A fresh model scores about the alphabet's size; restored, it scores near its training loss.
        Assert.True(perplexity < Math.Exp(first) / 2 && perplexity < 1.3 * Math.Exp(last), $"restored perplexity {perplexity}\n{output}");
        TfCheck.AssertClean("ckpt", _dir.Combine("model.ckpt-100"));
        TfCheck.AssertClean("state", _dir.Path);
        TfCheck.AssertClean("events", _dir.Combine("logs"));
    }

    private static string RunProgram(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{dll} ran past 180 s");
        }
        string output = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode == 0, $"{dll} exited {p.ExitCode}:\n{output}");
        return output;
    }

    private static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "GpuTrain.sln"))) return d.FullName;
            throw new DirectoryNotFoundException($"no GpuTrain.sln above {AppContext.BaseDirectory}");
        }
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();
}
