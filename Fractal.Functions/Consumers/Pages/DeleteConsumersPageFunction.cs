using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary><c>POST /settings/api-connections/delete-consumers</c>: deletes the selected consumers (each revokes its grants and tokens first).</summary>
public sealed class DeleteConsumersPageFunction(AdminAccess access, ConsumerService service)
{
    [Function("DeleteConsumersPage")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/delete-consumers")] HttpRequest request)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        foreach (var id in form!["id"].Where(i => !string.IsNullOrEmpty(i)).Distinct().Take(100))
            await service.DeleteAsync(user.AsAdmin(), id!, request.HttpContext.RequestAborted);
        return RedirectTo.SeeOther($"/settings/api-connections/consumers?lang={Texts.For(request, form["lang"]).Language}");
    }
}
