using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary><c>/settings/api-connections/consumers/{id}</c>: GET the edit form (with rotate, reveal, delete); POST saves.</summary>
public sealed class EditConsumerPageFunction(AdminAccess access, ConsumerService service, ConsumerStore consumers, TenantStore tenants, Csrf csrf)
{
    [Function("EditConsumerPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "settings/api-connections/consumers/{id}")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            var (viewer, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
            if (viewer is null) return refusal!;
            var t = Texts.For(request);
            var consumer = await consumers.FindAsync(viewer.Tenant, id, ct);
            if (consumer is null) return ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"]);
            return ConsumerFormPage.Render(200, t, await csrf.IssueAsync(request.HttpContext, ct), viewer.Email,
                await tenants.ListRolesAsync(viewer.Tenant, ct), ConsumerFormPage.DraftOf(consumer), new Dictionary<string, string>(), consumer.ClientId);
        }

        var (user, form, postRefusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return postRefusal!;
        var texts = Texts.For(request, form!["lang"]);
        var draft = ConsumerFormPage.ReadDraft(form);
        var change = await service.UpdateAsync(user.AsAdmin(), id, draft, ct);
        if (change is null) return ErrorPage.Create(StatusCodes.Status404NotFound, texts, texts["error.notfound"]);
        if (!change.Succeeded)
        {
            var current = await consumers.FindAsync(user.Tenant, id, ct);
            return ConsumerFormPage.Render(StatusCodes.Status400BadRequest, texts, await csrf.IssueAsync(request.HttpContext, ct), user.Email,
                await tenants.ListRolesAsync(user.Tenant, ct), draft with { ClientType = current?.ClientType ?? draft.ClientType }, change.Errors, id);
        }
        return RedirectTo.SeeOther($"/settings/api-connections/consumers?lang={texts.Language}");
    }
}
