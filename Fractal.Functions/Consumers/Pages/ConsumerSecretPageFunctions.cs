using Fractal.Functions.Admin;
using Fractal.Functions.Identity;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Fractal.Functions.Consumers.Pages;

/// <summary><c>POST /settings/api-connections/consumers/{id}/rotate-secret</c>: a new secret, shown once; the old one stops working at once.</summary>
public sealed class RotateConsumerSecretPageFunction(AdminAccess access, ConsumerService service)
{
    [Function("RotateConsumerSecretPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/consumers/{id}/rotate-secret")] HttpRequest request, string id)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var t = Texts.For(request, form!["lang"]);
        var secret = await service.RotateSecretAsync(user.AsAdmin(), id, request.HttpContext.RequestAborted);
        return secret is null
            ? ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"])
            : ConsumerFormPage.Secret(t, user.Email, "consumer.secret.title", "consumer.rotated", id, secret);
    }
}

/// <summary><c>POST /settings/api-connections/consumers/{id}/reveal-secret</c>: shows the current secret to an admin; the reveal is audited.</summary>
public sealed class RevealConsumerSecretPageFunction(AdminAccess access, ConsumerService service)
{
    [Function("RevealConsumerSecretPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "settings/api-connections/consumers/{id}/reveal-secret")] HttpRequest request, string id)
    {
        var (user, form, refusal) = await access.ForPagePostAsync(request, Permissions.ApiConnectionsManage);
        if (user is null) return refusal!;
        var t = Texts.For(request, form!["lang"]);
        var secret = await service.RevealSecretAsync(user.AsAdmin(), id, request.HttpContext.RequestAborted);
        return secret is null
            ? ErrorPage.Create(StatusCodes.Status404NotFound, t, t["error.notfound"])
            : ConsumerFormPage.Secret(t, user.Email, "consumer.secret.title", "consumer.created.once", id, secret);
    }
}
