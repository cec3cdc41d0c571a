namespace GpuTrain.Kernels;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"), the counter-based
/// generator behind every random number GpuTrain draws. A value is a pure function of
/// (seed, stream, index), so dropout masks, negative samples and shuffles are reproducible on every
/// backend, need no saved device state, and a resumed run draws the numbers the uninterrupted run
/// would have drawn. The same code runs inside kernels and on the host.
/// </summary>
public static class Philox
{
    /// <summary>The round multiplier of counter words 0 and 2 (a host SIMD twin uses the same constants).</summary>
    public const uint M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;

    /// <summary>The Weyl increments of the two key words per round.</summary>
    public const uint W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

    /// <summary>
    /// The first two 32-bit words of Philox4x32-10 for key <paramref name="seed"/> and counter
    /// (<paramref name="index"/>, <paramref name="stream"/>), packed as low | high &lt;&lt; 32.
    /// </summary>
    public static ulong Bits64(ulong seed, ulong stream, ulong index)
    {
        uint c0 = (uint)index, c1 = (uint)(index >> 32), c2 = (uint)stream, c3 = (uint)(stream >> 32);
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (uint)p1;
            c2 = n2;
            c3 = (uint)p0;
            k0 += W0;
            k1 += W1;
        }
        return c0 | ((ulong)c1 << 32);
    }

    // The 24-bit integers below are converted through int, not uint: an unsigned-to-float
    // conversion goes through a double in IL (conv.r.un), which OpenCL devices without fp64 reject.

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public static float Uniform(ulong seed, ulong stream, ulong index) =>
        (int)(Bits64(seed, stream, index) >> 40) * (1.0f / 16777216.0f);

    /// <summary>A standard normal float (Box-Muller over the two words of one counter).</summary>
    public static float Normal(ulong seed, ulong stream, ulong index)
    {
        ulong bits = Bits64(seed, stream, index);
        // u1 in (0, 1] so the logarithm is finite; u2 in [0, 1).
        float u1 = ((int)(bits >> 8) & 0xFFFFFF) * (1.0f / 16777216.0f) + (1.0f / 16777216.0f);
        float u2 = (int)(bits >> 40) * (1.0f / 16777216.0f);
        return ILGPU.Algorithms.XMath.Sqrt(-2.0f * ILGPU.Algorithms.XMath.Log(u1)) *
               ILGPU.Algorithms.XMath.Cos(2.0f * 3.14159265358979f * u2);
    }
}
