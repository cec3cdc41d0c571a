namespace GpuTrain.TestSupport;

/// <summary>
/// Finds the project's ../shared folder (fixtures, the tfcheck tool, data sets): the GPUTRAIN_SHARED
/// environment variable, else a "shared" folder beside the repository root.
/// </summary>
public static class SharedDir
{
    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The shared folder, or null when it is not on this machine.</summary>
    public static string? Path => Found.Value;

    /// <summary>Why tests that need it are skipped when it is absent.</summary>
    public const string MissingReason =
        "../shared (fixtures, tfcheck, data) not found beside the repository; set GPUTRAIN_SHARED to its path";

    /// <summary>The shared folder; throws when absent (call only from a <see cref="SharedFactAttribute"/> test).</summary>
    public static string Require() => Path ?? throw new InvalidOperationException(MissingReason);

    /// <summary>A path under the shared folder.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Require(), .. parts]);

    /// <summary>The repository root (the folder holding GpuTrain.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GpuTrain.sln"))) return dir.FullName;
        throw new InvalidOperationException("GpuTrain.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable("GPUTRAIN_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        string beside = System.IO.Path.Combine(RepoRoot(), "..", "shared");
        return Directory.Exists(System.IO.Path.Combine(beside, "tools")) ? System.IO.Path.GetFullPath(beside) : null;
    }
}
