using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Maintenance.Search;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Mcp.Records;

/// <summary>
/// The link of a record in <c>search</c>/<c>fetch</c> results (a result is only citable in ChatGPT when its
/// <c>url</c> is non-empty): <c>Fractal:RecordUrlTemplate</c> filled in when set, else this app's record page
/// <c>&lt;base&gt;/records/{kind}/{id}</c>, the base taken as every published URL is (<see cref="PublicUrls"/>), from the
/// request <see cref="McpFunction"/> captured (<see cref="McpRequest"/>).
/// </summary>
public sealed class RecordLinks(IOptions<FractalOptions> options, McpRequest request)
{
    public string Url(SearchKind kind, string id)
    {
        var prefix = SearchKinds.Prefix(kind);
        var escaped = Uri.EscapeDataString(id);
        var template = options.Value.RecordUrlTemplate;
        if (!string.IsNullOrWhiteSpace(template))
            return template.Replace("{kind}", prefix, StringComparison.Ordinal).Replace("{id}", escaped, StringComparison.Ordinal);
        return request.BaseUrl + RecordPath(kind, id);
    }

    public static string RecordPath(SearchKind kind, string id) => $"/records/{SearchKinds.Prefix(kind)}/{Uri.EscapeDataString(id)}";
}
