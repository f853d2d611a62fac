using System.ComponentModel;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Mcp.Records;
using Fractal.Functions.Web;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Fractal.Functions.Mcp.Tools;

/// <summary>
/// <c>search</c> and <c>fetch</c> in the shape ChatGPT's deep research and company knowledge expect
/// (connector-compat.md): search answers one text item holding <c>{"results":[{id,title,url}]}</c>, fetch
/// answers <c>{id,title,text,url,metadata}</c>; a result is citable because its url is a record page.
/// Each kind needs its own read permission: search leaves out what the caller may not read, fetch refuses it.
/// </summary>
[McpServerToolType]
public sealed class SearchTools
{
    public sealed record SearchResult(string Id, string Title, string Url);

    public sealed record SearchResults(IReadOnlyList<SearchResult> Results);

    public sealed record FetchedRecord(string Id, string Title, string Text, string Url, IReadOnlyDictionary<string, string> Metadata);

    private const int MaxResults = 20;

    [McpServerTool(Name = "search", Title = "Search maintenance records", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SearchResults))]
    [Description("Use this when you need to find work orders, assets, requests, parts or plans by words; ids go to fetch.")]
    public static async Task<CallToolResult> Search(
        ISearchService search, RecordLinks links,
        [Description("Words to look for")] string query,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        var text = ToolArguments.Text(query, "query", 500);
        var readable = SearchKinds.All.Where(k => caller.Can(RecordKinds.ReadPermission(k))).ToList();
        var result = await search.SearchAsync(caller.Tenant, text, readable, MaxResults, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var results = new SearchResults(result.Value
            .Where(h => readable.Contains(h.Kind))
            .Select(h => new SearchResult(h.Reference, h.Title, links.Url(h.Kind, h.Id))).ToList());
        // The deep-research contract: the one text item is the JSON itself.
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = JsonSerializer.Serialize(results, ToolResults.Json) }],
            StructuredContent = JsonSerializer.SerializeToElement(results, ToolResults.Json),
        };
    }

    [McpServerTool(Name = "fetch", Title = "Fetch a maintenance record", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(FetchedRecord))]
    [Description("Use this when you need the full text of a record found by search, by its id like wo:OT-1496 or asset:CMP-02.")]
    public static async Task<CallToolResult> Fetch(
        RecordReader records, RecordLinks links,
        [Description("An id from search, e.g. wo:OT-1496 or asset:CMP-02")] string id,
        ClaimsPrincipal? user = null, CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.From(user)!;
        if (!RecordKinds.TryParseReference(ToolArguments.Text(id, "id", 100), out var kind, out var recordId))
            throw ToolArguments.Invalid("id must be kind:id with kind wo, asset, request, part or plan, e.g. wo:OT-1496.");
        var permission = RecordKinds.ReadPermission(kind);
        if (!caller.Can(permission)) return McpCaller.Refusal(permission);
        var result = await records.ReadAsync(caller.Tenant, kind, recordId, cancellationToken);
        if (!result.IsSuccess) return ToolResults.From(result.Error);
        var view = result.Value;
        var fetched = new FetchedRecord(view.Reference, view.Title, Text(view), links.Url(kind, view.Id),
            view.Fields.ToDictionary(f => f.Key, f => f.Value));
        var json = JsonSerializer.Serialize(fetched, ToolResults.Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json }],
            StructuredContent = JsonSerializer.SerializeToElement(fetched, ToolResults.Json),
        };
    }

    /// <summary>The record as plain text, with the record page's English labels.</summary>
    private static string Text(RecordView view)
    {
        var t = Texts.For("en");
        var text = new StringBuilder();
        foreach (var field in view.Fields) text.Append(t["record." + field.Key]).Append(": ").AppendLine(field.Value);
        foreach (var section in view.Sections)
        {
            text.AppendLine().Append(t["record." + section.Key]).AppendLine(":");
            foreach (var line in section.Lines) text.Append("- ").AppendLine(line);
        }
        return text.ToString().TrimEnd();
    }
}
