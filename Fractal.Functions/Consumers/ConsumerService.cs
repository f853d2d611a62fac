using Fractal.Functions.Admin;
using Fractal.Functions.Audit;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Consumers;

public sealed record ConsumerChange(CreatedConsumer? Created, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>What admins do with consumers, for the pages and the JSON API alike; every change is audited.</summary>
public sealed class ConsumerService(ConsumerStore consumers, TenantStore tenants, TokenFamilyStore families, GrantStore grants, AuditLog audit)
{
    public async Task<IReadOnlyList<string>> RoleIdsAsync(TenantId tenant, CancellationToken ct) =>
        (await tenants.ListRolesAsync(tenant, ct)).Select(r => r.RoleId).ToList();

    public async Task<ConsumerChange> CreateAsync(AdminUser admin, ConsumerDraft draft, CancellationToken ct)
    {
        var errors = ConsumerDraftValidator.Validate(draft, await RoleIdsAsync(admin.Tenant, ct));
        if (errors.Count > 0) return new ConsumerChange(null, errors);
        var created = await consumers.CreateAsync(admin.Tenant, draft, ct);
        await audit.WriteAfterChangeAsync(admin.Tenant, new AuditEntry("consumer_created", AuditOutcome.Success, admin.UserId, created.Consumer.ClientId, created.Consumer.Name), ct);
        return new ConsumerChange(created, errors);
    }

    /// <summary>Null when the consumer does not exist in the admin's tenant.</summary>
    public async Task<ConsumerChange?> UpdateAsync(AdminUser admin, string clientId, ConsumerDraft draft, CancellationToken ct)
    {
        var consumer = await consumers.FindAsync(admin.Tenant, clientId, ct);
        if (consumer is null) return null;
        var errors = ConsumerDraftValidator.Validate(draft with { ClientType = consumer.ClientType }, await RoleIdsAsync(admin.Tenant, ct));
        if (errors.Count > 0) return new ConsumerChange(null, errors);
        var result = await consumers.UpdateAsync(consumer, draft, ct);
        if (!result.Succeeded) return new ConsumerChange(null, new Dictionary<string, string> { [""] = "form.conflict" });
        await audit.WriteAsync(admin.Tenant, new AuditEntry("consumer_updated", AuditOutcome.Success, admin.UserId, clientId, consumer.Name), ct);
        return new ConsumerChange(new CreatedConsumer(consumer, null), errors);
    }

    /// <summary>The new secret; null when the consumer is unknown or public.</summary>
    public async Task<string?> RotateSecretAsync(AdminUser admin, string clientId, CancellationToken ct)
    {
        var consumer = await consumers.FindAsync(admin.Tenant, clientId, ct);
        if (consumer is null || consumer.IsPublic) return null;
        var secret = await consumers.RotateSecretAsync(consumer, ct);
        if (secret is not null)
            await audit.WriteAfterChangeAsync(admin.Tenant, new AuditEntry("consumer_secret_rotated", AuditOutcome.Success, admin.UserId, clientId, "the previous secret stopped working"), ct);
        return secret;
    }

    /// <summary>Reveals the current secret to an admin; audited. Null when there is none.</summary>
    public async Task<string?> RevealSecretAsync(AdminUser admin, string clientId, CancellationToken ct)
    {
        var consumer = await consumers.FindAsync(admin.Tenant, clientId, ct);
        if (consumer is null) return null;
        var secret = await consumers.RevealSecretAsync(consumer, ct);
        await audit.WriteAsync(admin.Tenant, new AuditEntry("consumer_secret_revealed", secret is null ? AuditOutcome.Failure : AuditOutcome.Success, admin.UserId, clientId), ct);
        return secret;
    }

    /// <summary>Deletes a consumer: every grant and token family first, then its rows, key and secret. False when unknown.</summary>
    public async Task<bool> DeleteAsync(AdminUser admin, string clientId, CancellationToken ct)
    {
        var consumer = await consumers.FindAsync(admin.Tenant, clientId, ct);
        if (consumer is null) return false;
        foreach (var grant in await GrantsOfAsync(admin.Tenant, clientId, ct))
            await families.RevokeGrantAsync(admin.Tenant, grant.UserId, clientId, "consumer deleted", ct);
        await consumers.DeleteAsync(consumer, ct);
        await audit.WriteAsync(admin.Tenant, new AuditEntry("consumer_deleted", AuditOutcome.Success, admin.UserId, clientId, consumer.Name), ct);
        return true;
    }

    /// <summary>The tenant's grants for one consumer: a range read of the tenant's grants (deletion is rare).</summary>
    private async Task<IReadOnlyList<GrantEntity>> GrantsOfAsync(TenantId tenant, string clientId, CancellationToken ct) =>
        await grants.AllAsync(tenant, userId: null, ct).Where(g => g.ClientId == clientId).ToListAsync(ct);
}
