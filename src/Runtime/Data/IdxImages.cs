namespace GpuTrain.Runtime.Data;

/// <summary>The contents of an idx3-ubyte image file.</summary>
/// <param name="Count">Number of images.</param>
/// <param name="Rows">Image height.</param>
/// <param name="Cols">Image width.</param>
/// <param name="Pixels">Count x Rows x Cols bytes, row-major.</param>
public sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels);
