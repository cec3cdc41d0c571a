namespace GpuTrain.Persistence.Saving;

/// <summary>Another process holds a checkpoint folder's writer lock (<see cref="CheckpointFolderLock"/>).</summary>
public sealed class CheckpointFolderBusyException : IOException
{
    /// <summary>The folder and, when it could be read, the pid of the process holding it.</summary>
    public CheckpointFolderBusyException(string directory, int? holderPid)
        : base($"checkpoint folder {directory} is in use by another training run " +
            (holderPid is { } pid ? $"(pid {pid})" : "(pid not yet recorded)") +
            "; one writer per folder: wait for it to end, or use another folder")
    {
        Directory = directory;
        HolderPid = holderPid;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The holder's pid, or null when it was not yet written.</summary>
    public int? HolderPid { get; }
}
