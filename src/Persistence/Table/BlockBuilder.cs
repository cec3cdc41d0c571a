using System.Buffers.Binary;

namespace GpuTrain.Persistence.Table;

/// <summary>Builds one table block: prefix-compressed entries, then the restart array (block_builder.cc).</summary>
internal sealed class BlockBuilder
{
    private readonly int _restartInterval;
    private readonly List<byte> _buffer = [];
    private readonly List<int> _restarts = [0];
    private byte[] _lastKey = [];
    private int _counter;

    /// <summary>A builder with a restart point every <paramref name="restartInterval"/> entries.</summary>
    public BlockBuilder(int restartInterval) => _restartInterval = restartInterval;

    /// <summary>True when no entry was added since the last reset.</summary>
    public bool IsEmpty => _buffer.Count == 0;

    /// <summary>TableBuilder's size estimate: entries, restart array and its count.</summary>
    public int CurrentSizeEstimate => _buffer.Count + _restarts.Count * 4 + 4;

    /// <summary>Appends an entry; keys must strictly increase.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int shared = 0;
        if (_counter < _restartInterval)
        {
            int max = Math.Min(_lastKey.Length, key.Length);
            while (shared < max && _lastKey[shared] == key[shared]) shared++;
        }
        else
        {
            _restarts.Add(_buffer.Count);
            _counter = 0;
        }
        Varint.Write(_buffer, (ulong)shared);
        Varint.Write(_buffer, (ulong)(key.Length - shared));
        Varint.Write(_buffer, (ulong)value.Length);
        _buffer.AddRange(key[shared..]);
        _buffer.AddRange(value);
        _lastKey = key.ToArray();
        _counter++;
    }

    /// <summary>The finished block contents; the builder is reset for the next block.</summary>
    public byte[] Finish()
    {
        Span<byte> word = stackalloc byte[4];
        foreach (int r in _restarts)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)r);
            _buffer.AddRange(word);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)_restarts.Count);
        _buffer.AddRange(word);
        byte[] block = _buffer.ToArray();
        _buffer.Clear();
        _restarts.Clear();
        _restarts.Add(0);
        _lastKey = [];
        _counter = 0;
        return block;
    }
}
