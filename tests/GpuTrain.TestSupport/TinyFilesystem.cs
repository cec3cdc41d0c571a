using System.Diagnostics;

namespace GpuTrain.TestSupport;

/// <summary>
/// A real, small filesystem (tmpfs of a few MB mounted on a fresh folder) for the disk-full test.
/// Mounting needs root; <see cref="UnavailableReason"/> says why when it is not possible here.
/// </summary>
public sealed class TinyFilesystem : IDisposable
{
    private static readonly Lazy<string?> Probe = new(() =>
    {
        try
        {
            using var fs = new TinyFilesystem(64);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "cannot mount a tmpfs here (needs root and mount(8)): " + e.Message;
        }
    });

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB.</summary>
    /// <exception cref="InvalidOperationException">mount failed.</exception>
    public TinyFilesystem(int kilobytes)
    {
        Path = Directory.CreateTempSubdirectory("gputrain-tinyfs-").FullName;
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", Path);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    /// <summary>Null where a tmpfs can be mounted, else why not.</summary>
    public static string? UnavailableReason => OperatingSystem.IsLinux() ? Probe.Value : "tmpfs needs Linux";

    /// <summary>The mount point.</summary>
    public string Path { get; }

    private static void Run(string command, params string[] args)
    {
        var psi = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {error.Trim()}");
    }

    /// <summary>Unmounts and removes the folder.</summary>
    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path, recursive: true);
    }
}
