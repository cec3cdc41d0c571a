using GpuTrain.Runtime.Data;

namespace GpuTrain.Cli.Commands;

/// <summary>Finds and loads the digit data the train command uses.</summary>
public static class DataDirectory
{
    private const string Digits20Images = "digits20-images-idx3-ubyte";

    /// <summary>
    /// Loads <paramref name="dir"/> (digits20 if it holds digits20-*, else MNIST's four files), or,
    /// when it is null, the repository's data/digits20 found from the executable's folder or the
    /// current directory upwards.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist, or data/digits20 is nowhere above.</exception>
    public static TrainTestSplit LoadDigits(string? dir)
    {
        if (dir is null) return MnistData.LoadDigits20(RepositoryData.Find("digits20", Digits20Images, Digits20Images + ".gz"));
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--data: directory '{dir}' does not exist");
        return IsDigits20(dir) ? MnistData.LoadDigits20(dir) : MnistData.Load(dir);
    }

    private static bool IsDigits20(string dir) =>
        File.Exists(Path.Combine(dir, Digits20Images)) || File.Exists(Path.Combine(dir, Digits20Images + ".gz"));
}
