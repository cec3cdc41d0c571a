namespace GpuTrain.Runtime.Layers;

/// <summary>TensorFlow's padding modes for convolution and pooling windows.</summary>
public enum Padding
{
    /// <summary>Output size ceil(in / stride); the input is padded evenly, the extra row/column at the bottom/right.</summary>
    Same,
    /// <summary>Only windows that fit entirely: output size ceil((in - window + 1) / stride).</summary>
    Valid,
}
