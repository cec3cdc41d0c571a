using System.Diagnostics;

namespace GpuTrain.Cli.Tests;

/// <summary>Runs the built gputrain command in a child process, as a user would.</summary>
public static class CliRunner
{
    /// <summary>Exit code, stdout and stderr of one invocation.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Starts <c>gputrain args...</c> with its output discarded, for tests that kill it.</summary>
    public static Process Start(string[] args, string? workingDirectory = null)
    {
        var psi = StartInfo(args, workingDirectory);
        psi.RedirectStandardOutput = false;
        psi.RedirectStandardError = false;
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        return p;
    }

    /// <summary>Runs <c>gputrain args...</c> and waits for it (at most <paramref name="timeoutSeconds"/>).</summary>
    public static Result Run(string[] args, string? workingDirectory = null, int timeoutSeconds = 300)
    {
        using var p = Process.Start(StartInfo(args, workingDirectory)) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"gputrain {string.Join(' ', args)} ran past {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static ProcessStartInfo StartInfo(string[] args, string? workingDirectory)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gputrain.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
