using Fractal.Functions.Admin;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Web;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Consumers.Pages;

/// <summary>The create/edit form, and the page that shows a key and secret once.</summary>
internal static class ConsumerFormPage
{
    public static ConsumerDraft ReadDraft(IFormCollection form) => new(
        form["name"].ToString(), form["description"].ToString(),
        string.IsNullOrEmpty(form["client_type"]) ? ClientTypes.Confidential : form["client_type"].ToString(),
        ConsumerDraftValidator.SplitLines(form["callback_urls"]), form["url"], form["privacy_policy_url"], form["eula_url"], form["permission_group"].ToString());

    public static ConsumerDraft DraftOf(ConsumerEntity c) =>
        new(c.Name, c.Description, c.ClientType, c.CallbackUrlList, c.Url, c.PrivacyPolicyUrl, c.EulaUrl, c.PermissionGroup);

    public static PageResult Render(int status, Texts t, string csrf, string email, IReadOnlyList<RoleEntity> roles, ConsumerDraft draft,
        IReadOnlyDictionary<string, string> errors, string? clientId)
    {
        var isNew = clientId is null;
        string Error(string field) => errors.TryGetValue(field, out var key) ? $"<p class=\"field-error\" id=\"error-{field}\" role=\"alert\">{Html.E(t[key])}</p>" : "";
        string Input(string field, string type, string? value, string extra = "") =>
            $"<label for=\"{field}\">{Html.E(t["form." + field])}</label><input id=\"{field}\" name=\"{field}\" type=\"{type}\" value=\"{Html.E(value)}\" {extra}{(errors.ContainsKey(field) ? $" aria-invalid=\"true\" aria-describedby=\"error-{field}\"" : "")}>{Error(field)}";
        var roleOptions = string.Concat(roles.Select(r => $"<option value=\"{Html.E(r.RoleId)}\"{(r.RoleId == draft.PermissionGroup ? " selected" : "")}>{Html.E(r.Name)}</option>"));
        var typeChoice = isNew
            ? $"""
              <label for="client_type">{Html.E(t["form.client_type"])}</label>
              <select id="client_type" name="client_type">
              <option value="confidential"{(draft.ClientType == ClientTypes.Confidential ? " selected" : "")}>{Html.E(t["consumers.type.confidential"])}</option>
              <option value="public"{(draft.ClientType == ClientTypes.Public ? " selected" : "")}>{Html.E(t["consumers.type.public"])}</option>
              </select><p class="muted">{Html.E(t["form.client_type.help"])}</p>{Error("client_type")}
              """
            : $"<p>{Html.E(t["form.client_type"])}: <strong>{Html.E(t["consumers.type." + draft.ClientType])}</strong></p>";
        var action = isNew ? "/settings/api-connections/consumers/new" : $"/settings/api-connections/consumers/{Uri.EscapeDataString(clientId!)}";
        var actions = isNew ? "" : $"""
            <div class="actions">
            {(draft.ClientType == ClientTypes.Confidential ? PostButton(t, csrf, $"{action}/rotate-secret", "consumer.rotate", "rotate", "secondary") + PostButton(t, csrf, $"{action}/reveal-secret", "consumer.reveal", "reveal", "secondary") : "")}
            <form method="post" action="/settings/api-connections/delete-consumers" class="inline" data-confirm="{Html.E(t["consumer.delete"])}?">{Html.Hidden(Csrf.FormField, csrf)}{Html.Hidden("lang", t.Language)}{Html.Hidden("id", clientId)}<button type="submit" id="delete" class="danger">{Html.E(t["consumer.delete"])}</button></form>
            </div>
            """;

        return new PageResult(status, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Consumers, $"""
            <h1>{Html.E(t[isNew ? "consumer.new.title" : "consumer.edit.title"])}</h1>
            {(errors.ContainsKey("") ? $"<p class=\"error\" role=\"alert\">{Html.E(t[errors[""]])}</p>" : "")}
            {(isNew ? "" : $"<label>{Html.E(t["consumers.key"])}</label>{AdminLayout.Copyable(t, "consumer-key", clientId!)}")}
            <form method="post" action="{action}" id="consumer-form" novalidate>
            {Html.Hidden(Csrf.FormField, csrf)}{Html.Hidden("lang", t.Language)}
            <label for="grant_type">{Html.E(t["form.grant_type"])}</label>
            <select id="grant_type" name="grant_type"><option value="authorization_code" selected>{Html.E(t["form.grant_type.code"])}</option></select>
            {typeChoice}
            {Input("name", "text", draft.Name, "maxlength=\"100\" required")}
            <label for="description">{Html.E(t["form.description"])}</label><textarea id="description" name="description" rows="2">{Html.E(draft.Description)}</textarea>{Error("description")}
            <label for="callback_urls">{Html.E(t["form.callback_urls"])}</label><textarea id="callback_urls" name="callback_urls" rows="3"{(errors.ContainsKey("callback_urls") ? " aria-invalid=\"true\" aria-describedby=\"error-callback_urls\"" : "")}>{Html.E(string.Join("\n", draft.CallbackUrls))}</textarea>{Error("callback_urls")}
            {Input("url", "url", draft.Url)}
            {Input("privacy_policy_url", "url", draft.PrivacyPolicyUrl)}
            {Input("eula_url", "url", draft.EulaUrl)}
            <label for="permission_group">{Html.E(t["form.permission_group"])}</label><select id="permission_group" name="permission_group">{roleOptions}</select>
            <p class="muted">{Html.E(t["form.permission_group.help"])}</p>{Error("permission_group")}
            <div class="actions"><button type="submit" id="save">{Html.E(t["consumer.save"])}</button> <a href="/settings/api-connections/consumers?lang={t.Language}">{Html.E(t["consumer.back"])}</a></div>
            </form>
            {actions}
            """, email));
    }

    /// <summary>Shows a key and/or secret once, with copy buttons.</summary>
    public static PageResult Secret(Texts t, string email, string titleKey, string messageKey, string clientId, string? secret) =>
        new(200, nonce => AdminLayout.Render(t, nonce, AdminLayout.Tab.Consumers, $"""
            <h1>{Html.E(t[titleKey])}</h1>
            <p>{Html.E(t[messageKey])}</p>
            <label>{Html.E(t["consumers.key"])}</label>{AdminLayout.Copyable(t, "consumer-key", clientId)}
            {(secret is null ? "" : $"<label>{Html.E(t["consumers.secret"])}</label>{AdminLayout.Copyable(t, "consumer-secret", secret)}")}
            <p><a href="/settings/api-connections/consumers?lang={t.Language}">{Html.E(t["consumer.back"])}</a></p>
            """, email));

    private static string PostButton(Texts t, string csrf, string action, string labelKey, string id, string cssClass) =>
        $"<form method=\"post\" action=\"{action}\" class=\"inline\">{Html.Hidden(Csrf.FormField, csrf)}{Html.Hidden("lang", t.Language)}<button type=\"submit\" id=\"{id}\" class=\"{cssClass}\">{Html.E(t[labelKey])}</button></form>";
}
