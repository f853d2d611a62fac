using Fractal.Functions.OAuth;

namespace Fractal.Functions.Consumers;

/// <summary>
/// Validates a consumer form or API body. Errors are keyed by field name, with a message key the pages
/// translate (the API answers the English text).
/// </summary>
public static class ConsumerDraftValidator
{
    public const int MaxName = 100;
    public const int MaxDescription = 1000;
    public const int MaxCallbacks = 10;

    public static Dictionary<string, string> Validate(ConsumerDraft draft, IReadOnlyCollection<string> roleIds)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(draft.Name)) errors["name"] = "form.name.required";
        else if (draft.Name.Trim().Length > MaxName) errors["name"] = "form.name.long";
        if (draft.Description.Length > MaxDescription) errors["description"] = "form.description.long";
        if (draft.ClientType is not (ClientTypes.Confidential or ClientTypes.Public)) errors["client_type"] = "form.client_type.invalid";

        if (draft.CallbackUrls.Count == 0) errors["callback_urls"] = "form.callbacks.required";
        else if (draft.CallbackUrls.Count > MaxCallbacks) errors["callback_urls"] = "form.callbacks.many";
        else if (draft.CallbackUrls.Any(u => !RedirectUris.IsValidRegistration(u, out _))) errors["callback_urls"] = "form.callbacks.invalid";
        else if (draft.CallbackUrls.Distinct(StringComparer.Ordinal).Count() != draft.CallbackUrls.Count) errors["callback_urls"] = "form.callbacks.duplicate";

        CheckOptionalHttps(errors, "url", draft.Url);
        CheckOptionalHttps(errors, "privacy_policy_url", draft.PrivacyPolicyUrl);
        CheckOptionalHttps(errors, "eula_url", draft.EulaUrl);
        if (!roleIds.Contains(draft.PermissionGroup)) errors["permission_group"] = "form.permission_group.invalid";
        return errors;
    }

    private static void CheckOptionalHttps(Dictionary<string, string> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (value.Length > 2000 || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            errors[field] = "form.https.invalid";
    }

    /// <summary>Callback URLs as typed in the form: one per line.</summary>
    public static IReadOnlyList<string> SplitLines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
