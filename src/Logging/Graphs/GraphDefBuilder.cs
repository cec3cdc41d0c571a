using Google.Protobuf;
using GpuTrain.Logging.Proto;

namespace GpuTrain.Logging.Graphs;

/// <summary>Turns <see cref="GraphNode"/> descriptions into a TensorFlow GraphDef.</summary>
internal static class GraphDefBuilder
{
    /// <summary>The attribute TensorBoard reads output shapes from.</summary>
    public const string OutputShapesAttr = "_output_shapes";

    /// <summary>Builds the GraphDef; node names must be unique and every input must name a node.</summary>
    public static GraphDef Build(IEnumerable<GraphNode> nodes)
    {
        var graph = new GraphDef();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (string.IsNullOrEmpty(node.Name)) throw new ArgumentException("graph node has an empty name", nameof(nodes));
            if (!names.Add(node.Name)) throw new ArgumentException($"graph node name '{node.Name}' is used twice", nameof(nodes));
            var def = new NodeDef { Name = node.Name, Op = node.Op };
            def.Input.AddRange(node.Inputs);
            var shapes = new AttrValue.Types.ListValue();
            foreach (var shape in node.OutputShapes) shapes.Shape.Add(ToShape(shape));
            def.Attr[OutputShapesAttr] = new AttrValue { List = shapes };
            foreach (var (key, value) in node.Attributes ?? new Dictionary<string, object>())
                def.Attr[key] = ToAttr(node.Name, key, value);
            graph.Node.Add(def);
        }
        foreach (var def in graph.Node)
            foreach (string input in def.Input)
                if (!names.Contains(input))
                    throw new ArgumentException($"graph node '{def.Name}' has input '{input}', which is not a node of the graph", nameof(nodes));
        return graph;
    }

    private static TensorShapeProto ToShape(IReadOnlyList<long> dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return shape;
    }

    private static AttrValue ToAttr(string node, string key, object value) => value switch
    {
        string s => new AttrValue { S = ByteString.CopyFromUtf8(s) },
        bool b => new AttrValue { B = b },
        int i => new AttrValue { I = i },
        long l => new AttrValue { I = l },
        float f => new AttrValue { F = f },
        double d => new AttrValue { F = (float)d },
        long[] ls => new AttrValue { List = ListOf(ls) },
        int[] ints => new AttrValue { List = ListOf(ints.Select(i => (long)i)) },
        _ => throw new ArgumentException(
            $"graph node '{node}' attribute '{key}' has type {value.GetType().Name}; use string, bool, int, long, float, double, long[] or int[]"),
    };

    private static AttrValue.Types.ListValue ListOf(IEnumerable<long> values)
    {
        var list = new AttrValue.Types.ListValue();
        list.I.AddRange(values);
        return list;
    }
}
