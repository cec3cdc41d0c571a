using System.Buffers.Binary;
using GpuTrain.Persistence.Bundle;
using GpuTrain.Persistence.Hashing;
using GpuTrain.Persistence.Protos;
using GpuTrain.Persistence.Table;
using GpuTrain.TestSupport;

namespace GpuTrain.Persistence.Tests.Bundle;

/// <summary>
/// Seeded mutations of an index: raw ones (mostly caught by block CRCs) and ones whose block CRC is
/// recomputed, so the block, entry and proto parsers see the damage. Only InvalidDataException may escape
/// (or FileNotFoundException when a mutated header asks for data files that do not exist).
/// </summary>
public class IndexFuzzTests
{
    [Fact]
    public void Mutated_indexes_fail_only_with_clear_errors()
    {
        using var dir = new TempDir();
        string prefix = dir.Combine("fuzz");
        TensorBundleWriter.Write(prefix, SampleTensors.All(), numShards: 2);
        byte[] original = File.ReadAllBytes(BundleNaming.IndexFile(prefix));
        var blocks = BlocksOf(original);
        var random = new Random(20261123);
        int pastBlockChecksum = 0;

        for (int round = 0; round < 4000; round++)
        {
            byte[] bad = Mutate(original, blocks, random, fixCrc: round % 2 == 1);
            try
            {
                CorruptionTests.ReadEverything(TensorBundleReader.Parse(prefix, bad));
            }
            catch (InvalidDataException e)
            {
                if (!e.Message.Contains("block checksum mismatch")) pastBlockChecksum++;
            }
            catch (FileNotFoundException e) when (e.Message.Contains(".data-"))
            {
            }
        }
        // The CRC-fixed half must really reach the block, entry and proto parsers.
        Assert.True(pastBlockChecksum > 1000, $"only {pastBlockChecksum} mutations got past the block checksums");
    }

    private static byte[] Mutate(byte[] original, List<BlockHandle> blocks, Random random, bool fixCrc)
    {
        var block = blocks[random.Next(blocks.Count)];
        byte[] bad;
        switch (random.Next(4))
        {
            case 0: // flip a few bits
                bad = (byte[])original.Clone();
                for (int k = random.Next(1, 4); k > 0; k--) bad[Position(bad, block, random, fixCrc)] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // overwrite with random bytes
                bad = (byte[])original.Clone();
                for (int k = random.Next(1, 6); k > 0; k--) bad[Position(bad, block, random, fixCrc)] = (byte)random.Next(256);
                break;
            case 2: // truncate
                return original[..random.Next(original.Length)];
            default: // set a varint-ish 0xff run
                bad = (byte[])original.Clone();
                int at = Position(bad, block, random, fixCrc);
                for (int k = 0; k < 5 && at + k < bad.Length; k++) bad[at + k] = 0xff;
                break;
        }
        if (fixCrc) FixCrc(bad, block);
        return bad;
    }

    private static int Position(byte[] file, BlockHandle block, Random random, bool insideBlock) =>
        insideBlock ? (int)block.Offset + random.Next((int)block.Size) : random.Next(file.Length);

    private static void FixCrc(byte[] file, BlockHandle block)
    {
        int end = (int)(block.Offset + block.Size);
        uint crc = Crc32C.Compute(file.AsSpan((int)block.Offset, (int)block.Size + 1)); // the contents and the type byte after them
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(end + 1), Crc32C.Mask(crc));
    }

    // Index block and data blocks of a well-formed table (every index entry is a restart: shared = 0).
    private static List<BlockHandle> BlocksOf(byte[] file)
    {
        ReadOnlySpan<byte> footer = file.AsSpan(file.Length - TableFormat.FooterSize);
        int pos = 0;
        BlockHandle.Decode(footer, ref pos, "footer");
        var index = BlockHandle.Decode(footer, ref pos, "footer");
        var blocks = new List<BlockHandle> { index };
        ReadOnlySpan<byte> indexBlock = file.AsSpan((int)index.Offset, (int)index.Size);
        int entriesEnd = indexBlock.Length - 4 - 4 * (int)BinaryPrimitives.ReadUInt32LittleEndian(indexBlock[^4..]);
        pos = 0;
        while (pos < entriesEnd)
        {
            Varint.Read32(indexBlock, ref pos, "");
            uint keyLength = Varint.Read32(indexBlock, ref pos, "");
            Varint.Read32(indexBlock, ref pos, "");
            pos += (int)keyLength;
            blocks.Add(BlockHandle.Decode(indexBlock, ref pos, ""));
        }
        return blocks;
    }
}
