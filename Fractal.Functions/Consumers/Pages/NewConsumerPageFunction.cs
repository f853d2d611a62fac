using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary>
/// <c>/settings/api-connections/consumers/new</c>: GET the empty form; POST creates the consumer and shows
/// its Key and Secret once, or the form again with each error beside its field and what was typed kept.
/// </summary>
public sealed class NewConsumerPageFunction(AdminAccess access, ConsumerService service, TenantStore tenants, Csrf csrf)
{
    [Function("NewConsumerPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "settings/api-connections/consumers/new")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        if (HttpMethods.IsGet(request.Method))
        {
            var (viewer, refusal) = await access.ForPageAsync(request, Permissions.ApiConnectionsManage);
            if (viewer is null) return refusal!;
            var empty = new ConsumerDraft("", "", ClientTypes.Confidential, [], null, null, null, DefaultRoles.Viewer);
            return ConsumerFormPage.Render(200, Texts.For(request), await csrf.IssueAsync(request.HttpContext, ct), viewer.Email,
                await tenants.ListRolesAsync(viewer.Tenant, ct), empty, new Dictionary<string, string>(), null);
        }

        var (user, form, postRefusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return postRefusal!;
        var t = Texts.For(request, form!["lang"]);
        var draft = ConsumerFormPage.ReadDraft(form);
        var change = await service.CreateAsync(user.AsAdmin(), draft, ct);
        if (!change.Succeeded)
            return ConsumerFormPage.Render(StatusCodes.Status400BadRequest, t, await csrf.IssueAsync(request.HttpContext, ct), user.Email,
                await tenants.ListRolesAsync(user.Tenant, ct), draft, change.Errors, null);
        return ConsumerFormPage.Secret(t, user.Email, "consumer.created.title", "consumer.created.once", change.Created!.Consumer.ClientId, change.Created.Secret);
    }
}
