namespace GpuTrain.Persistence.Table;

/// <summary>Constants of TensorFlow's LevelDB-style table format (tensorflow/core/lib/io/format.h, table_options.h).</summary>
internal static class TableFormat
{
    /// <summary>TF's target data-block size.</summary>
    public const int BlockSize = 262144;

    /// <summary>Entries between full-key restart points in data blocks.</summary>
    public const int DataRestartInterval = 16;

    /// <summary>Restart interval of the index block (every entry is a restart).</summary>
    public const int IndexRestartInterval = 1;

    /// <summary>Compression byte + masked CRC32C after every block.</summary>
    public const int BlockTrailerSize = 5;

    /// <summary>Two padded block handles and the 8-byte magic.</summary>
    public const int FooterSize = 48;

    /// <summary><c>kTableMagicNumber</c>.</summary>
    public const ulong Magic = 0xdb4775248b80fb57ul;

    /// <summary>Block type byte: stored as is.</summary>
    public const byte NoCompression = 0;

    /// <summary>Block type byte: snappy-compressed.</summary>
    public const byte SnappyCompression = 1;
}
