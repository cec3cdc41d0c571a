namespace GpuTrain.Persistence.Variables;

/// <summary>
/// A variable whose value is already captured as the exact bytes a save writes (a device tensor
/// staged before the save started): the saver checksums and writes those bytes as they are, instead
/// of copying them into a buffer of its own first, which for a model's whole state is one more
/// pass over every byte of it a save.
/// </summary>
public interface ICapturedCheckpointVariable : ICheckpointVariable
{
    /// <summary>
    /// The captured little-endian element bytes, exactly the tensor's size. The saver only reads
    /// them; the owner must not change them until the save that took them has finished.
    /// </summary>
    byte[] CapturedBytes();
}
