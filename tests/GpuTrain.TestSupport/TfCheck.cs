using System.Diagnostics;

namespace GpuTrain.TestSupport;

/// <summary>Runs ../shared/tools/tfcheck/tfformat_check.py, the independent judge of every file GpuTrain writes.</summary>
public static class TfCheck
{
    /// <summary>The checker's exit code and everything it printed.</summary>
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>True when the checker passed with no ERROR and no WARN.</summary>
        public bool Clean => ExitCode == 0 && !Output.Contains("ERROR:") && !Output.Contains("WARN:");
    }

    /// <summary>Runs <c>python3 tfformat_check.py mode args...</c>.</summary>
    public static Result Run(string mode, params string[] args)
    {
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(SharedDir.Combine("tools", "tfcheck", "tfformat_check.py"));
        psi.ArgumentList.Add(mode);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Asserts the checker passes <paramref name="args"/> in <paramref name="mode"/> with 0 errors and 0 warnings.</summary>
    public static void AssertClean(string mode, params string[] args)
    {
        var r = Run(mode, args);
        Assert.True(r.Clean, $"tfformat_check.py {mode} {string.Join(' ', args)} failed (exit {r.ExitCode}):\n{r.Output}");
    }
}
