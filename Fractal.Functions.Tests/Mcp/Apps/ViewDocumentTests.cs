using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fractal.Functions.Identity;
using Fractal.Functions.Mcp.Apps;
using Fractal.Functions.Mcp.Tools;

namespace Fractal.Functions.Tests.Mcp.Apps;

/// <summary>The views as documents: self-contained, small, and the card's permission rule equal to the model's tools.</summary>
public sealed class ViewDocumentTests
{
    public static TheoryData<string> Views => new() { AppViews.KpiDashboardUri, AppViews.WorkOrderCardUri };

    [Theory]
    [MemberData(nameof(Views))]
    public void Each_view_is_one_html5_document_under_100_KB(string uri)
    {
        var html = AppViews.Get(uri).Html;
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.DoesNotContain("/*@include", html); // every shared part was inlined
        Assert.Contains("Bridge.request('ui/initialize'", html);
        Assert.True(Encoding.UTF8.GetByteCount(html) < 100 * 1024, $"{uri}: {Encoding.UTF8.GetByteCount(html)} bytes");
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void No_view_loads_anything_from_outside_the_document(string uri)
    {
        var html = AppViews.Get(uri).Html;
        Assert.DoesNotMatch(new Regex(@"<(script|img|iframe|link)\b[^>]*\b(src|href)\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"\b(fetch|XMLHttpRequest|WebSocket|EventSource|importScripts)\s*\(", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"@import|url\(", RegexOptions.IgnoreCase), html);
        // The only absolute URL is the SVG namespace name, which is never fetched.
        Assert.Equal(["http://www.w3.org/2000/svg"], Regex.Matches(html, @"https?://[^\s'""`)]+").Select(m => m.Value).Distinct());
    }

    [Theory]
    [InlineData("in_review", Permissions.WorkOrdersWrite)]
    [InlineData("in_process", Permissions.WorkOrdersWrite)]
    [InlineData("completed", Permissions.WorkOrdersWrite)]
    [InlineData("cancelled", Permissions.WorkOrdersCancel)]
    public void The_cards_transition_needs_the_permission_of_the_model_tool_doing_the_same(string to, string permission)
    {
        var arguments = new Dictionary<string, JsonElement> { ["to"] = JsonSerializer.SerializeToElement(to) };
        Assert.Equal(permission, ToolPermissions.Required(WorkOrderCardTools.Transition, arguments));
        Assert.Equal(to == "cancelled" ? ToolPermissions.Required("cancel_work_order") : ToolPermissions.Required("update_work_order"), permission);
        Assert.True(ToolPermissions.IsWrite(WorkOrderCardTools.Transition));
    }
}
