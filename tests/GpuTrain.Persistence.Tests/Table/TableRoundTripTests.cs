using System.Text;
using GpuTrain.Persistence.Table;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Table;

public class TableRoundTripTests
{
    [Fact]
    public void Entries_spanning_several_blocks_read_back_in_order()
    {
        var writer = new TableWriter();
        var expected = new List<(byte[], byte[])>();
        for (int i = 0; i < 5000; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes($"layer_{i:D5}/" + new string('k', 80));
            byte[] value = Encoding.UTF8.GetBytes(new string((char)('a' + i % 26), 150 + i % 97));
            writer.Add(key, value);
            expected.Add((key, value));
        }
        byte[] file = writer.Finish();
        Assert.True(file.Length > 3 * TableFormat.BlockSize);

        var entries = TableReader.ReadAll(file, "test");
        Assert.Equal(expected.Count, entries.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, entries[i].Key);
            Assert.Equal(expected[i].Item2, entries[i].Value);
        }
    }

    [Fact]
    public void Keys_out_of_order_are_refused()
    {
        var writer = new TableWriter();
        writer.Add("b"u8, [1]);
        Assert.Throws<ArgumentException>(() => writer.Add("a"u8, [2]));
        Assert.Throws<ArgumentException>(() => writer.Add("b"u8, [2]));
    }

    public static TheoryData<string> UncompressedFixtureIndexes() =>
        new(FixtureFiles.IndexFiles().Where(f => !FixtureFiles.HasSnappyBlock(f)));

    // The strongest check of the writer: TF's own uncompressed tables come out byte for byte.
    [SharedTheory]
    [MemberData(nameof(UncompressedFixtureIndexes))]
    public void Rewriting_a_TF_table_reproduces_its_bytes(string indexFile)
    {
        byte[] original = File.ReadAllBytes(indexFile);
        var writer = new TableWriter();
        foreach (var (key, value) in TableReader.ReadAll(original, indexFile)) writer.Add(key, value);
        Assert.Equal(original, writer.Finish());
    }
}
