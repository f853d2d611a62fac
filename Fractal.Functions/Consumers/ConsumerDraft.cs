namespace Fractal.Functions.Consumers;

/// <summary>What a person (or the API) supplies to create or edit a consumer.</summary>
public sealed record ConsumerDraft(
    string Name,
    string Description,
    string ClientType,
    IReadOnlyList<string> CallbackUrls,
    string? Url,
    string? PrivacyPolicyUrl,
    string? EulaUrl,
    string PermissionGroup);
