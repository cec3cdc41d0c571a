namespace GpuTrain.Cli.Commands;

/// <summary>Finds the data sets committed under the repository's data/ folder.</summary>
public static class RepositoryData
{
    /// <summary>
    /// The folder data/<paramref name="name"/> holding one of <paramref name="markers"/>, searched from
    /// the executable's folder and from the current directory upwards.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder above either.</exception>
    public static string Find(string name, params string[] markers)
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "data", name);
                if (markers.Any(m => File.Exists(Path.Combine(candidate, m)))) return candidate;
            }
        throw new DirectoryNotFoundException(
            $"no --data given and data/{name} was not found above the executable or the current directory; pass --data DIR");
    }
}
