using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>An in-memory tool (no storage) that the benchmarks add to our endpoint and to the SDK baseline alike.</summary>
[McpServerToolType]
public static class BenchTools
{
    public const string EchoName = "bench_echo";

    [McpServerTool(Name = EchoName, ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Echoes the text (benchmarks only).")]
    public static CallToolResult Echo([Description("Any text")] string text) => Result(text);

    public static CallToolResult Result(string text) => new() { Content = [new TextContentBlock { Text = text }] };
}
