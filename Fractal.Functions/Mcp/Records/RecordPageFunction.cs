using System.Text;
using Fractal.Functions.Admin;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Mcp.Records;

/// <summary>
/// <c>GET /records/{kind}/{id}</c>: the read-only page a <c>search</c>/<c>fetch</c> result links to. Sign-in
/// required, and the read permission of that kind; the tenant is the signed-in person's, so another account's
/// id is simply not found here.
/// </summary>
public sealed class RecordPageFunction(AdminAccess access, RecordReader records)
{
    [Function("RecordPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "records/{kind}/{id}")] HttpRequest request, string kind, string id)
    {
        var t = Texts.For(request);
        if (!RecordKinds.TryParse(kind, out var recordKind)) return NotFound(t);
        var (user, refusal) = await access.ForPageAsync(request, RecordKinds.ReadPermission(recordKind));
        if (user is null) return refusal!;
        var result = await records.ReadAsync(user.Tenant, recordKind, id, request.HttpContext.RequestAborted);
        if (!result.IsSuccess) return NotFound(t);
        var view = result.Value;
        return new PageResult(StatusCodes.Status200OK, nonce => PageLayout.Render(t.Language, view.Title, nonce, Body(t, view), wide: true));
    }

    private static PageResult NotFound(Texts t) => ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"]);

    private static string Body(Texts t, RecordView view)
    {
        var html = new StringBuilder();
        html.Append($"""
            <p class="muted" id="record-kind">{Html.E(t["record.kind." + SearchKinds.Prefix(view.Kind)])}</p>
            <h1 id="record-title">{Html.E(view.Title)}</h1>
            <div class="table-wrap"><table id="record-fields"><tbody>
            """);
        foreach (var field in view.Fields)
            html.Append($"<tr data-field=\"{Html.E(field.Key)}\"><th scope=\"row\">{Html.E(t["record." + field.Key])}</th><td>{Html.E(field.Value)}</td></tr>");
        html.Append("</tbody></table></div>");
        foreach (var section in view.Sections)
        {
            html.Append($"<h2>{Html.E(t["record." + section.Key])}</h2><ul data-section=\"{Html.E(section.Key)}\">");
            foreach (var line in section.Lines) html.Append($"<li>{Html.E(line)}</li>");
            html.Append("</ul>");
        }
        html.Append($"<p class=\"muted\">{Html.E(t["record.readonly"])}</p>");
        return html.ToString();
    }
}
