using GpuTrain.Logging.Graphs;
using GpuTrain.Logging.Proto;
using GpuTrain.TestSupport;

namespace GpuTrain.Logging.Tests;

public class GraphTests
{
    /// <summary>input -> dense/MatMul -> relu, the shape of what the Runtime hands over.</summary>
    internal static List<GraphNode> SmallModel() =>
    [
        new("input", "Placeholder", [], [[-1, 784]]),
        new("dense/MatMul", "MatMul", ["input"], [[-1, 10]], new Dictionary<string, object> { ["units"] = 10L, ["use_bias"] = true }),
        new("relu", "Relu", ["dense/MatMul"], [[-1, 10]], new Dictionary<string, object> { ["kernel"] = new long[] { 784, 10 } }),
    ];

    [Fact]
    public void GraphEventRoundTripsNodesInputsShapesAndAttributes()
    {
        using var dir = new TempDir();
        using (var w = new SummaryWriter(dir.Path)) w.Graph(SmallModel());
        var graphEvent = Assert.Single(TestEvents.ReadAll(TestEvents.OnlyFile(dir.Path)), e => e.WhatCase == Event.WhatOneofCase.GraphDef);
        var graph = GraphDef.Parser.ParseFrom(graphEvent.GraphDef);
        Assert.Equal(["input", "dense/MatMul", "relu"], graph.Node.Select(n => n.Name));
        Assert.Equal(["Placeholder", "MatMul", "Relu"], graph.Node.Select(n => n.Op));
        Assert.Equal(["dense/MatMul"], graph.Node[2].Input);
        var shape = Assert.Single(graph.Node[1].Attr[GraphDefBuilder.OutputShapesAttr].List.Shape);
        Assert.Equal([-1L, 10L], shape.Dim.Select(d => d.Size));
        Assert.Equal(10L, graph.Node[1].Attr["units"].I);
        Assert.True(graph.Node[1].Attr["use_bias"].B);
        Assert.Equal([784L, 10L], graph.Node[2].Attr["kernel"].List.I);
    }

    [Fact]
    public void UnknownInputIsRejectedWithItsName()
    {
        var ex = Assert.Throws<ArgumentException>(() => GraphDefBuilder.Build([new GraphNode("a", "Relu", ["missing"], [])]));
        Assert.Contains("'missing'", ex.Message);
    }

    [Fact]
    public void DuplicateNodeNameIsRejected() =>
        Assert.Throws<ArgumentException>(() => GraphDefBuilder.Build([new GraphNode("a", "X", [], []), new GraphNode("a", "Y", [], [])]));
}
