using Azure.Data.Tables;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Identity.Tenants;

/// <summary>Tenants and their roles (one partition per tenant in <c>Tenants</c>).</summary>
public sealed class TenantStore(TableStore tables, PagedReader reader, TimeProvider time)
{
    /// <summary>Creates the tenant with the default roles in one transaction; false when the id is taken.</summary>
    public async Task<bool> TryCreateAsync(TenantId tenant, string name, string timeZone, CancellationToken ct = default)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, new TenantEntity
            {
                PartitionKey = tenant.Value, RowKey = TenantEntity.ProfileRowKey, Name = name, TimeZone = timeZone, CreatedAt = time.GetUtcNow(),
            }),
        };
        actions.AddRange(DefaultRoles.All.Select(role => new TableTransactionAction(TableTransactionActionType.Add, new RoleEntity
        {
            PartitionKey = tenant.Value, RowKey = RoleEntity.RowKeyPrefix + role.Id, Name = role.Name, Permissions = string.Join(' ', role.Permissions),
        })));
        return (await tables.TrySubmitAsync(TableNames.Tenants, actions, ct)).Succeeded;
    }

    public Task<TenantEntity?> FindAsync(TenantId tenant, CancellationToken ct = default) =>
        tables.FindAsync<TenantEntity>(TableNames.Tenants, tenant.Value, TenantEntity.ProfileRowKey, ct);

    public Task<WriteResult> TryUpdateAsync(TenantEntity tenant, CancellationToken ct = default) =>
        tables.TryReplaceAsync(TableNames.Tenants, tenant, tenant.ETag, ct);

    /// <summary>Every tenant (operator command only: a scan, never on a request path).</summary>
    public async Task<IReadOnlyList<TenantEntity>> ListAllAsync(CancellationToken ct = default)
    {
        var client = await tables.GetTableAsync(TableNames.Tenants, ct);
        var result = new List<TenantEntity>();
        await foreach (var t in client.QueryAsync<TenantEntity>(e => e.RowKey == TenantEntity.ProfileRowKey, cancellationToken: ct)) result.Add(t);
        return result;
    }

    public Task<RoleEntity?> FindRoleAsync(TenantId tenant, string roleId, CancellationToken ct = default) =>
        tables.FindAsync<RoleEntity>(TableNames.Tenants, tenant.Value, RoleEntity.RowKeyPrefix + roleId, ct);

    public async Task<IReadOnlyList<RoleEntity>> ListRolesAsync(TenantId tenant, CancellationToken ct = default)
    {
        var page = await reader.ReadPageAsync<RoleEntity>(RangeQuery.Prefix(TableNames.Tenants, tenant.Value, RoleEntity.RowKeyPrefix), PagedReader.MaxPageSize, null, ct);
        return page.Items;
    }
}
