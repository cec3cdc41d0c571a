using System.Globalization;
using GpuTrain.Persistence.Bundle;

namespace GpuTrain.Persistence.State;

/// <summary>
/// The checkpoints of one folder as its own files show them; the <c>checkpoint</c> state file only
/// advises. A state entry counts only when it resolves inside the folder: a relative one is joined
/// with the folder, an absolute one elsewhere (TF1 writes absolute paths, and folders get moved) is
/// taken as the file of the same name inside it; anything else is ignored with a warning, so no state
/// file can make a run adopt, restore, rotate or delete another folder's files. A corrupt state file
/// is a warning too: it never hides a checkpoint.
/// </summary>
public sealed class CheckpointFolder
{
    private CheckpointFolder(string directory, CheckpointState? state, IReadOnlyList<FolderCheckpoint> checkpoints,
        IReadOnlyList<(string Prefix, double? Time)> listed, string? stateLatest, IReadOnlyList<string> warnings)
    {
        Directory = directory;
        State = state;
        Checkpoints = checkpoints;
        Listed = listed;
        StateLatest = stateLatest;
        Warnings = warnings;
    }

    /// <summary>The folder's full path.</summary>
    public string Directory { get; }

    /// <summary>The parsed state file, or null when it is missing or corrupt.</summary>
    public CheckpointState? State { get; }

    /// <summary>Every checkpoint whose index file is in the folder (or a state entry's, inside it), oldest first.</summary>
    public IReadOnlyList<FolderCheckpoint> Checkpoints { get; }

    /// <summary>The newest checkpoint (highest step, then latest write), or null when there is none.</summary>
    public FolderCheckpoint? Newest => Checkpoints.Count > 0 ? Checkpoints[^1] : null;

    /// <summary>The state file's kept checkpoints that exist inside the folder, oldest first, with their recorded save times.</summary>
    public IReadOnlyList<(string Prefix, double? Time)> Listed { get; }

    /// <summary>The state file's latest checkpoint resolved inside the folder (it may not exist), or null.</summary>
    public string? StateLatest { get; }

    /// <summary>What was ignored and why: a corrupt state file, entries outside the folder.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Reads <paramref name="directory"/> (a missing folder has no checkpoints). Never throws for a bad state file.</summary>
    public static CheckpointFolder Read(string directory, string latestFilename = CheckpointStateFile.DefaultName)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var warnings = new List<string>();
        CheckpointState? state = null;
        try
        {
            state = CheckpointStateFile.Read(full, latestFilename);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{e.Message}; the folder's own checkpoint files are used instead");
        }

        var found = new Dictionary<string, FolderCheckpoint>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(full))
        {
            foreach (string index in System.IO.Directory.EnumerateFiles(full, "*.index"))
                AddIfPresent(found, BundleNaming.PrefixOf(index));
        }
        var listed = new List<(string, double?)>();
        string? stateLatest = null;
        if (state is not null)
        {
            string stateFile = Path.Combine(full, latestFilename);
            stateLatest = Confine(full, state.ModelCheckpointPath, stateFile, warnings);
            for (int i = 0; i < state.AllModelCheckpointPaths.Count; i++)
            {
                if (Confine(full, state.AllModelCheckpointPaths[i], stateFile, warnings) is not { } prefix || !AddIfPresent(found, prefix)) continue;
                listed.Add((prefix, i < state.AllModelCheckpointTimestamps.Count ? state.AllModelCheckpointTimestamps[i] : null));
            }
        }
        var ordered = found.Values.OrderBy(c => c.Step ?? -1).ThenBy(c => c.WriteTime).ThenBy(c => c.Prefix, StringComparer.Ordinal).ToList();
        return new CheckpointFolder(full, state, ordered, listed, stateLatest, warnings);
    }

    /// <summary>
    /// A state file's entry as a prefix inside <paramref name="directory"/>, or null (with a warning)
    /// when it points elsewhere and the folder has no checkpoint of that name.
    /// </summary>
    public static string? Confine(string directory, string entry, string stateFile, ICollection<string> warnings)
    {
        string resolved = Path.GetFullPath(Path.IsPathRooted(entry) ? entry : Path.Combine(directory, entry));
        if (IsInside(directory, resolved)) return resolved;
        if (Path.IsPathRooted(entry))
        {
            // The moved-folder case (TF issue #9146): the same checkpoint name, here.
            string here = Path.Combine(directory, Path.GetFileName(resolved));
            if (File.Exists(BundleNaming.IndexFile(here))) return here;
        }
        warnings.Add($"{stateFile} names '{entry}', which is outside {directory}; ignored (a run touches only its own folder)");
        return null;
    }

    /// <summary>The global step a checkpoint's name ends with, or null.</summary>
    public static long? StepOf(string prefix)
    {
        string name = Path.GetFileName(prefix);
        int dash = name.LastIndexOf('-');
        return dash >= 0 && dash < name.Length - 1 && name.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long step)
            ? step : null;
    }

    /// <summary>The name a saver's checkpoints share: <c>model.ckpt</c> of <c>model.ckpt-1500</c>.</summary>
    public static string BaseNameOf(string prefix)
    {
        string name = Path.GetFileName(prefix);
        return StepOf(prefix) is null ? name : name[..name.LastIndexOf('-')];
    }

    private static bool IsInside(string directory, string path) =>
        path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool AddIfPresent(Dictionary<string, FolderCheckpoint> found, string prefix)
    {
        if (found.ContainsKey(prefix)) return true;
        var index = new FileInfo(BundleNaming.IndexFile(prefix));
        if (!index.Exists) return false;
        found[prefix] = new FolderCheckpoint(prefix, StepOf(prefix), new DateTimeOffset(index.LastWriteTimeUtc).ToUnixTimeMilliseconds() / 1000.0);
        return true;
    }
}
