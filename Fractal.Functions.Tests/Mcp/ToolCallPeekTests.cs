using System.Text;
using Fractal.Functions.Mcp;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// The scan that decides whether the per-grant tools/call limit applies (the limit's 429 itself is tested over
/// HTTP in the rate-limit tests): only a top-level method counts, never a "method" nested in params.
/// </summary>
public sealed class ToolCallPeekTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_kpis"}}""", true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"params":{"name":"x","arguments":{"a":[1,{"b":2}]}},"method":"tools/call"}""", true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools\/call"}""", true)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"tools/call"}]""", true)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", false)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"method":"tools/call"}}""", false)]
    [InlineData("""[1,"tools/call",{"jsonrpc":"2.0","method":"ping"}]""", false)]
    [InlineData("""{"method":["tools/call"]}""", false)]
    [InlineData("""{"method":"tools/call" """, false)]
    [InlineData("not json", false)]
    [InlineData("", false)]
    public void Only_a_top_level_tools_call_method_counts_as_a_tool_call(string body, bool expected) =>
        Assert.Equal(expected, ToolCallPeek.IsToolCall(Encoding.UTF8.GetBytes(body)));
}
