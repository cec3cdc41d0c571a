using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GpuTrain.Kernels;
using GpuTrain.Runtime.Devices;
using ILGPU;

namespace GpuTrain.Runtime.Host;

/// <summary>
/// The dropout mask of <see cref="DropoutKernels.Apply"/> over raw pointers: the same Philox draw and
/// the same division per element, so the same bits. Through the per-index launcher the CNN's
/// 51,200-element dropout cost about 1 ms each way, mostly in ArrayView accesses; one Philox draw at
/// a time it still cost about 35 ns an element, so where AVX-512 is available 16 counters run their
/// ten rounds side by side (a 32 x 32 -> 64-bit multiply per 64-bit lane is one vpmuludq), with
/// the same integer operations and the same int-to-float conversion as <see cref="Philox.Uniform"/>.
/// </summary>
internal static unsafe class HostDropout
{
    /// <summary>
    /// output = kept ? input / keepProb : 0 for element i's draw (counter first + i); when
    /// <paramref name="kept"/> is not null each element's draw is also recorded there (0xFF kept,
    /// 0 dropped) for <see cref="ApplyKept"/>.
    /// </summary>
    public static void Apply(ArrayView<float> input, ArrayView<float> output, ulong seed, ulong stream, ulong first, float keepProb,
        byte[]? kept)
    {
        nint px = (nint)HostMemory.Pointer(input), py = (nint)HostMemory.Pointer(output);
        fixed (byte* pk = kept)
        {
            nint pkept = (nint)pk;
            HostParallel.For(checked((int)input.Length), (lo, hi) => Range((float*)px, (float*)py, (byte*)pkept, seed, stream, first, keepProb, lo, hi));
        }
    }

    /// <summary>output = kept ? input / keepProb : 0 from the draws <see cref="Apply"/> recorded: the same values without drawing again.</summary>
    public static void ApplyKept(ArrayView<float> input, ArrayView<float> output, byte[] kept, float keepProb)
    {
        nint px = (nint)HostMemory.Pointer(input), py = (nint)HostMemory.Pointer(output);
        fixed (byte* pk = kept)
        {
            nint pkept = (nint)pk;
            HostParallel.For(checked((int)input.Length), (lo, hi) => KeptRange((float*)px, (float*)py, (byte*)pkept, keepProb, lo, hi));
        }
    }

    private static void Range(float* input, float* output, byte* record, ulong seed, ulong stream, ulong first, float keepProb, int lo, int hi)
    {
        int i = lo;
        if (Avx512F.IsSupported)
        {
            var keep = Vector512.Create(keepProb);
            for (; i + 16 <= hi; i += 16)
            {
                var kept = Vector512.LessThan(Uniform16(seed, stream, first + (ulong)i), keep);
                Vector512.ConditionalSelect(kept, Vector512.Load(input + i) / keep, Vector512<float>.Zero).Store(output + i);
                if (record != null) Avx512F.ConvertToVector128SByte(kept.AsInt32()).Store((sbyte*)record + i);
            }
        }
        for (; i < hi; i++)
        {
            bool keep = Philox.Uniform(seed, stream, first + (ulong)i) < keepProb;
            output[i] = keep ? input[i] / keepProb : 0f;
            if (record != null) record[i] = keep ? (byte)0xFF : (byte)0;
        }
    }

    private static void KeptRange(float* input, float* output, byte* kept, float keepProb, int lo, int hi)
    {
        int i = lo;
        if (Avx512F.IsSupported)
        {
            var keep = Vector512.Create(keepProb);
            for (; i + 16 <= hi; i += 16)
            {
                var mask = Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)kept + i)).AsSingle();
                Vector512.ConditionalSelect(mask, Vector512.Load(input + i) / keep, Vector512<float>.Zero).Store(output + i);
            }
        }
        for (; i < hi; i++) output[i] = kept[i] != 0 ? input[i] / keepProb : 0f;
    }

    /// <summary><see cref="Philox.Uniform"/> of the 16 counters index .. index + 15.</summary>
    private static Vector512<float> Uniform16(ulong seed, ulong stream, ulong index)
    {
        var low = SecondWord(seed, stream, Vector512.Create(index) + Vector512<ulong>.Indices);
        var high = SecondWord(seed, stream, Vector512.Create(index + 8) + Vector512<ulong>.Indices);
        // Philox.Uniform takes Bits64 >> 40, the second word's top 24 bits, through int.
        var bits = Vector512.ShiftRightLogical(Vector512.Narrow(low, high), 8).AsInt32();
        return Vector512.ConvertToSingle(bits) * (1.0f / 16777216.0f);
    }

    /// <summary>The second 32-bit word of <see cref="Philox.Bits64"/> for 8 counters, one per 64-bit lane.</summary>
    private static Vector512<ulong> SecondWord(ulong seed, ulong stream, Vector512<ulong> index)
    {
        var word = Vector512.Create(0xFFFF_FFFFul);
        var m0 = Vector512.Create((ulong)Philox.M0).AsUInt32();
        var m1 = Vector512.Create((ulong)Philox.M1).AsUInt32();
        Vector512<ulong> c0 = index & word, c1 = index >> 32;
        Vector512<ulong> c2 = Vector512.Create(stream & 0xFFFF_FFFFul), c3 = Vector512.Create(stream >> 32);
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int round = 0; round < 10; round++)
        {
            var p0 = Avx512F.Multiply(m0, c0.AsUInt32());
            var p1 = Avx512F.Multiply(m1, c2.AsUInt32());
            c0 = (p1 >> 32) ^ c1 ^ Vector512.Create((ulong)k0);
            c2 = (p0 >> 32) ^ c3 ^ Vector512.Create((ulong)k1);
            c1 = p1 & word;
            c3 = p0 & word;
            k0 += Philox.W0;
            k1 += Philox.W1;
        }
        return c1;
    }
}
