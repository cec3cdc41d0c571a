using System.Diagnostics;

namespace GpuTrain.TestSupport;

/// <summary>Files that are not regular files, for the readers' hostile-input tests.</summary>
public static class SpecialFiles
{
    /// <summary>Creates a FIFO at <paramref name="path"/> (mkfifo(1)); opening it for reading blocks until a writer comes.</summary>
    public static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed");
    }

    /// <summary>
    /// Runs <paramref name="read"/> and returns what it threw, failing the test if it took longer than
    /// <paramref name="seconds"/>: a reader that hangs on a FIFO must fail, not stall the suite.
    /// </summary>
    public static Exception? ThrownWithin(Action read, int seconds = 20)
    {
        var task = Task.Run(read);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)))
            Assert.Fail($"the read did not finish within {seconds} s (a hang)");
        return task.Exception?.InnerException;
    }
}
