using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Saving;
using GpuTrain.Persistence.Variables;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Saving;

public sealed class CheckpointFolderLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ASecondWriterIsRefusedNamingTheHolderAndGetsTheFolderOnceItIsReleased()
    {
        string folder = _dir.Combine("run");
        var first = CheckpointFolderLock.Acquire(folder);
        // flock locks belong to open files, so a second open in the same process is refused like another process.
        var busy = Assert.Throws<CheckpointFolderBusyException>(() => CheckpointFolderLock.Acquire(folder));
        Assert.Equal(Environment.ProcessId, busy.HolderPid);
        Assert.Contains($"{folder} is in use by another training run (pid {Environment.ProcessId})", busy.Message);

        first.Dispose();
        using var second = CheckpointFolderLock.Acquire(folder);
        Assert.Equal(folder, second.Directory);
    }

    [Fact]
    public void TheLockIsFreeOnReleaseEvenWhileAForkedChildStillHoldsACopyOfItsDescriptor()
    {
        // A child forked by another thread (Process.Start) holds a copy of the descriptor until it
        // execs; dup(2) makes the same copy, of the same open file, without a child.
        string folder = _dir.Combine("run");
        var first = CheckpointFolderLock.Acquire(folder);
        int copy = Dup(LockDescriptorOf(Path.Combine(folder, CheckpointFolderLock.FileName)));
        Assert.True(copy >= 0);
        try
        {
            first.Dispose();
            using var second = CheckpointFolderLock.Acquire(folder);
            Assert.Equal(folder, second.Directory);
        }
        finally
        {
            Close(copy);
        }
    }

    [Fact]
    public void AHolderThatHasNotYetWrittenItsPidIsReportedAsSuch()
    {
        // The moment between a writer's flock and its pid reaching the file: locked, still empty.
        string folder = _dir.Combine("run");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, CheckpointFolderLock.FileName);
        using var holder = GpuTrain.Files.FileLocks.Open(path);
        Assert.True(GpuTrain.Files.FileLocks.TryLockExclusive(holder, path));

        var busy = Assert.Throws<CheckpointFolderBusyException>(() => CheckpointFolderLock.Acquire(folder));
        Assert.Null(busy.HolderPid);
        Assert.Contains($"{folder} is in use by another training run (pid not yet recorded)", busy.Message);
    }

    /// <summary>The descriptor of this process that has <paramref name="path"/> open (exactly one).</summary>
    private static int LockDescriptorOf(string path) =>
        Directory.GetFiles("/proc/self/fd")
            .Select(link => (Fd: int.Parse(Path.GetFileName(link), System.Globalization.CultureInfo.InvariantCulture), Target: new FileInfo(link).LinkTarget))
            .Single(entry => entry.Target == path).Fd;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static extern int Dup(int fd);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [Fact]
    public void ASaveRemovesOnlyTheTemporariesWhoseWriterIsGone()
    {
        // One left by a killed writer (nobody holds it), one a live writer is still writing (held open, locked).
        string abandoned = _dir.Combine("model-1.data-00000-of-00001.tempstate0123456789abcdef");
        string live = _dir.Combine("model-9.index.tempstatefedcba9876543210");
        File.WriteAllText(abandoned, "half a shard");
        using var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        writer.Write("still being written"u8);

        var step = new HostVariable<long>("global_step", DataType.DtInt64, []);
        new Saver([step]).Save(_dir.Combine("model"), 2);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(BundleNaming.IndexFile(_dir.Combine("model-2"))));
    }
}
