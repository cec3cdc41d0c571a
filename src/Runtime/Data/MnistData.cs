namespace GpuTrain.Runtime.Data;

/// <summary>
/// Loaders for MNIST-style digit sets: MNIST and Fashion-MNIST (the same IDX file names), and the
/// 5,000 20x20 digits committed under data/digits20 (OpenCV's sample digits, MNIST-derived), which
/// are centred in 28x28 and split into train and test here because they come as one set.
/// </summary>
public static class MnistData
{
    /// <summary>Height and width every loader returns (MNIST's).</summary>
    public const int ImageSide = 28;

    /// <summary>The default seed of the digits20 train/test split.</summary>
    public const ulong DefaultSplitSeed = 20;

    private const int Digits20TestPerClass = 50;
    private const int Digits20Classes = 10;

    /// <summary>
    /// Loads MNIST or Fashion-MNIST from <paramref name="dir"/>: train-images-idx3-ubyte,
    /// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the names looked for.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the counts disagree.</exception>
    public static TrainTestSplit Load(string dir)
    {
        string set = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        return new TrainTestSplit(
            LoadPair(dir, set + "/train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            LoadPair(dir, set + "/test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
    }

    /// <summary>
    /// Loads digits20-images-idx3-ubyte(.gz) and digits20-labels-idx1-ubyte(.gz) from
    /// <paramref name="dir"/>, pads the digits to 28x28 and splits them deterministically:
    /// 50 test images per class chosen by a seeded shuffle of each class, the rest for training,
    /// both in file order.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or a class has too few images for the split.</exception>
    public static TrainTestSplit LoadDigits20(string dir, ulong splitSeed = DefaultSplitSeed)
    {
        var all = LoadPair(dir, "digits20", "digits20-images-idx3-ubyte", "digits20-labels-idx1-ubyte");
        var isTest = new bool[all.Count];
        for (int label = 0; label < Digits20Classes; label++)
        {
            int[] members = Enumerable.Range(0, all.Count).Where(i => all.Labels[i] == label).ToArray();
            if (members.Length <= Digits20TestPerClass)
                throw new InvalidDataException(
                    $"digits20 in {dir}: class {label} has {members.Length} images, too few to hold out {Digits20TestPerClass}");
            Permutation.Shuffle(members, splitSeed, stream: (ulong)label);
            for (int k = 0; k < Digits20TestPerClass; k++) isTest[members[k]] = true;
        }
        var train = Enumerable.Range(0, all.Count).Where(i => !isTest[i]).ToArray();
        var test = Enumerable.Range(0, all.Count).Where(i => isTest[i]).ToArray();
        return new TrainTestSplit(all.Subset("digits20/train", train), all.Subset("digits20/test", test));
    }

    private static ImageDataset LoadPair(string dir, string name, string imagesName, string labelsName)
    {
        string imagesPath = Find(dir, imagesName), labelsPath = Find(dir, labelsName);
        return ImageDataset.FromIdx(name, IdxFile.ReadImages(imagesPath), IdxFile.ReadLabels(labelsPath),
            ImageSide, ImageSide, imagesPath, labelsPath);
    }

    private static string Find(string dir, string baseName)
    {
        string[] candidates = [Path.Combine(dir, baseName), Path.Combine(dir, baseName + ".gz")];
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"no {baseName} in {dir}: looked for {string.Join(" and ", candidates)}", candidates[0]);
    }
}
