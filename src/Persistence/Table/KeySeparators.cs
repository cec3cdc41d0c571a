namespace GpuTrain.Persistence.Table;

/// <summary>
/// LevelDB's BytewiseComparator shortening, which TF uses for index-block keys: the shortest key K with
/// <c>last &lt;= K &lt; next</c>, and the short successor after the final block.
/// </summary>
internal static class KeySeparators
{
    /// <summary><c>FindShortestSeparator(last, next)</c>.</summary>
    public static byte[] ShortestSeparator(ReadOnlySpan<byte> last, ReadOnlySpan<byte> next)
    {
        int minLength = Math.Min(last.Length, next.Length);
        int d = 0;
        while (d < minLength && last[d] == next[d]) d++;
        if (d < minLength && last[d] < 0xff && last[d] + 1 < next[d])
        {
            byte[] key = last[..(d + 1)].ToArray();
            key[d]++;
            return key;
        }
        return last.ToArray();
    }

    /// <summary><c>FindShortSuccessor(last)</c>: increment the first byte that is not 0xff and cut after it.</summary>
    public static byte[] ShortSuccessor(ReadOnlySpan<byte> last)
    {
        for (int i = 0; i < last.Length; i++)
        {
            if (last[i] != 0xff)
            {
                byte[] key = last[..(i + 1)].ToArray();
                key[i]++;
                return key;
            }
        }
        return last.ToArray();
    }
}
