using System.Diagnostics;

namespace GpuTrain.Distributed.Tests;

/// <summary>Starts a built program of the test output under <c>mpirun -np N</c>, as a user launches a job.</summary>
public static class MpiRun
{
    /// <summary>Why MPI tests skip here, or null when mpirun is on the PATH.</summary>
    public static readonly string? MissingReason = FindOnPath("mpirun") is null
        ? "mpirun is not on the PATH (Debian: apt-get install openmpi-bin libopenmpi-dev)" : null;

    /// <summary>Exit code and output of one job.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Everything the job printed, for assertion messages.</summary>
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>Runs <c>mpirun -np ranks dotnet program.dll args</c> (as root, oversubscribed) and waits at most <paramref name="timeoutSeconds"/>.</summary>
    public static Result Run(int ranks, string program, IEnumerable<string> args, int timeoutSeconds = 180, string? workingDirectory = null)
    {
        using var p = Start(ranks, program, args, workingDirectory);
        return Wait(p, timeoutSeconds);
    }

    /// <summary>Starts <c>mpirun -np ranks dotnet program.dll args</c> with extra environment variables for every rank (Open MPI passes its own environment on to local ranks).</summary>
    public static Process Start(int ranks, string program, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = Launch(ranks, program, args, workingDirectory);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start mpirun");
    }

    /// <summary>Runs <c>dotnet program.dll args</c> with no launcher, with extra environment variables.</summary>
    public static Result RunAlone(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, int timeoutSeconds = 120)
    {
        var psi = StartInfo("dotnet", null);
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        return Wait(p, timeoutSeconds);
    }

    /// <summary>The start info of <c>mpirun -np ranks dotnet program.dll args</c>.</summary>
    public static ProcessStartInfo Launch(int ranks, string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = StartInfo("mpirun", workingDirectory);
        foreach (string a in new[] { "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Path.Combine(AppContext.BaseDirectory, program) })
            psi.ArgumentList.Add(a);
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Waits for <paramref name="p"/> and collects its output; kills the job past the timeout.</summary>
    public static Result Wait(Process p, int timeoutSeconds)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{p.StartInfo.FileName} {string.Join(' ', p.StartInfo.ArgumentList)} ran past {timeoutSeconds} s:\n{stdout.Result}\n{stderr.Result}");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static ProcessStartInfo StartInfo(string file, string? workingDirectory)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        // Shared-memory transport only: the test must not depend on the machine's network interfaces.
        psi.Environment["OMPI_MCA_btl"] = "self,vader";
        return psi;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
