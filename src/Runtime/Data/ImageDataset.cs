namespace GpuTrain.Runtime.Data;

/// <summary>
/// Labelled grayscale images on the host: pixels as floats in [0, 1], laid out NHWC
/// ([count, height, width, 1], TensorFlow's default), and one integer class label per image.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Wraps already-scaled pixels and labels.</summary>
    /// <exception cref="ArgumentException">The pixel count does not match count x height x width.</exception>
    public ImageDataset(string name, int height, int width, float[] pixels, int[] labels)
    {
        if (pixels.LongLength != (long)labels.Length * height * width)
            throw new ArgumentException(
                $"dataset '{name}': {pixels.LongLength} pixels for {labels.Length} images of {height}x{width}", nameof(pixels));
        Name = name;
        Height = height;
        Width = width;
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>What the data is (e.g. "mnist/train"), used in messages.</summary>
    public string Name { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Floats per image (height x width x 1 channel).</summary>
    public int ImageSize => Height * Width;

    /// <summary>The images' shape as a model input, [height, width, 1].</summary>
    public int[] ImageShape => [Height, Width, 1];

    /// <summary>All pixels, image after image, each row-major, scaled to [0, 1].</summary>
    public float[] Pixels { get; }

    /// <summary>The class label of each image.</summary>
    public int[] Labels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>
    /// Builds a dataset from IDX contents, scaling bytes to [0, 1] (b / 255) and centring each image in a
    /// <paramref name="height"/> x <paramref name="width"/> frame of zeros (MNIST's digits are 20x20
    /// boxes centred in 28x28, so 20x20 digits padded by 4 on each side match them).
    /// </summary>
    /// <exception cref="InvalidDataException">Image and label counts differ, or the images exceed the frame.</exception>
    public static ImageDataset FromIdx(string name, IdxImages images, byte[] labels, int height, int width,
        string imagesPath, string labelsPath)
    {
        if (images.Count != labels.Length)
            throw new InvalidDataException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels");
        if (images.Rows > height || images.Cols > width)
            throw new InvalidDataException(
                $"{imagesPath}: images are {images.Rows}x{images.Cols}, larger than the {height}x{width} input");
        int top = (height - images.Rows) / 2, left = (width - images.Cols) / 2;
        var pixels = new float[(long)images.Count * height * width];
        for (int n = 0; n < images.Count; n++)
            for (int r = 0; r < images.Rows; r++)
            {
                int src = (n * images.Rows + r) * images.Cols;
                int dst = (n * height + top + r) * width + left;
                for (int c = 0; c < images.Cols; c++) pixels[dst + c] = images.Pixels[src + c] / 255f;
            }
        return new ImageDataset(name, height, width, pixels, labels.Select(l => (int)l).ToArray());
    }

    /// <summary>A new dataset holding the images at <paramref name="indices"/>, in that order.</summary>
    public ImageDataset Subset(string name, IReadOnlyList<int> indices)
    {
        var pixels = new float[(long)indices.Count * ImageSize];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(name, Height, Width, pixels, labels);
    }
}
