using System.Buffers.Binary;
using System.IO.Compression;

namespace GpuTrain.Runtime.Data;

/// <summary>
/// Reads IDX files (LeCun's MNIST format), raw or gzip'd; gzip is recognised by its magic bytes
/// (1F 8B), not by the file name, so a decompressed file that kept its .gz name still reads.
/// Only the unsigned-byte type (0x08) is accepted: idx3 for images, idx1 for labels.
/// Every error names the file and says what is wrong.
/// </summary>
internal static class IdxFile
{
    private const int UnsignedByteType = 0x08;

    /// <summary>Reads an idx3-ubyte image file: count images of rows x cols bytes, row-major.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Wrong magic number, impossible sizes, or a truncated file.</exception>
    public static IdxImages ReadImages(string path)
    {
        var (dims, payload) = Read(path, rank: 3);
        if (dims[1] == 0 || dims[2] == 0)
            throw new InvalidDataException($"{path}: image size {dims[1]}x{dims[2]} is empty");
        return new IdxImages(dims[0], dims[1], dims[2], payload);
    }

    /// <summary>Reads an idx1-ubyte label file: one byte per label.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Wrong magic number or a truncated file.</exception>
    public static byte[] ReadLabels(string path) => Read(path, rank: 1).Payload;

    private static (int[] Dims, byte[] Payload) Read(string path, int rank)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var stream = OpenMaybeGzip(path);
        var magicBytes = new byte[4];
        ReadExactly(stream, magicBytes, path, "magic number");
        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        int expected = (UnsignedByteType << 8) | rank;
        if (magic != expected)
            throw new InvalidDataException(
                $"{path}: magic number 0x{magic:X8} is not 0x{expected:X8} (idx{rank}-ubyte); " +
                (rank == 3 ? "expected an image file" : "expected a label file"));
        var header = new byte[4 * rank];
        ReadExactly(stream, header, path, "dimensions");
        var dims = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * d));
            if (dims[d] < 0) throw new InvalidDataException($"{path}: dimension {d} is negative ({dims[d]})");
            size *= dims[d];
            if (size > Array.MaxLength)
                throw new InvalidDataException(
                    $"{path}: header declares {string.Join("x", dims[..(d + 1)])}... bytes, more than one array can hold");
        }
        // A raw file's length is known: refuse a wrong one before allocating what a corrupt header declares.
        if (stream is not GZipStream && new FileInfo(path).Length is var length && length != 4 + header.Length + size)
            throw new InvalidDataException(length < 4 + header.Length + size
                ? $"{path}: truncated: the header declares {string.Join("x", dims)} bytes of payload, the file holds {length - 4 - header.Length}"
                : $"{path}: extra bytes after the {string.Join("x", dims)} payload the header declares");
        var payload = new byte[size];
        ReadExactly(stream, payload, path, $"payload of {string.Join("x", dims)} bytes");
        if (stream.ReadByte() != -1)
            throw new InvalidDataException($"{path}: extra bytes after the {string.Join("x", dims)} payload the header declares");
        return (dims, payload);
    }

    private static Stream OpenMaybeGzip(string path)
    {
        var file = File.OpenRead(path);
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        return b0 == 0x1F && b1 == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : new BufferedStream(file);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string path, string what)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            // A gzip stream cut short or corrupted surfaces here; say which file.
            throw new InvalidDataException($"{path}: corrupt gzip data while reading the {what}: {e.Message}", e);
        }
        if (total < buffer.Length)
            throw new InvalidDataException($"{path}: truncated: the {what} needs {buffer.Length} bytes, only {total} present");
    }
}
