using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Fractal.Functions.Consumers;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Cut = Fractal.Functions.Tests.Infrastructure.StorageFaultInjector.Cut;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>The all-or-nothing checks, read back with real SDK clients from Azurite and the vault.</summary>
public sealed partial class HalfResultTests
{
    private TableClient Table(string name) => app.Services.GetRequiredService<TableStore>().Service.GetTableClient(name);

    private async Task<List<TableEntity>> PartitionAsync(string table, string prefix = "")
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Table(table).QueryAsync<TableEntity>(e => e.PartitionKey == app.Tenant.Id.Value)) 
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal)) rows.Add(row);
        return rows;
    }

    /// <summary>Each consumer row has its secret in the vault (by name, matching its hash), its key index and its list row; the counter counts them.</summary>
    private async Task AssertConsumersWholeAsync(IReadOnlySet<string> earlierSecrets)
    {
        var rows = await PartitionAsync(TableNames.Consumers);
        var consumers = rows.Where(r => r.RowKey.StartsWith(ConsumerEntity.RowKeyPrefix, StringComparison.Ordinal)).ToList();
        var lists = rows.Where(r => r.RowKey.StartsWith(ConsumerListEntity.RowKeyPrefix, StringComparison.Ordinal)).ToList();
        var counter = rows.Single(r => r.RowKey == ConsumerCounterEntity.Key);
        Assert.Equal(consumers.Count, lists.Count);
        Assert.Equal(consumers.Count, counter.GetInt32(nameof(ConsumerCounterEntity.Count)));
        var index = new List<string>();
        await foreach (var row in Table(TableNames.ClientIndex).QueryAsync<TableEntity>(e => e.GetString("TenantId") == app.Tenant.Id.Value)) index.Add(row.PartitionKey);
        var clientIds = consumers.Select(c => c.RowKey[ConsumerEntity.RowKeyPrefix.Length..]).Order().ToList();
        Assert.Equal(clientIds, index.Order().ToList());
        foreach (var c in consumers)
        {
            var name = c.GetString(nameof(ConsumerEntity.SecretName));
            if (c.GetString(nameof(ConsumerEntity.ClientType)) == ClientTypes.Public) continue;
            Assert.True(name is not null && app.Vault.Contains(name), $"consumer {c.RowKey} has no secret in the vault");
            Assert.Equal(c.GetString(nameof(ConsumerEntity.SecretHash)), ClientSecrets.Hash(app.Vault.ValueOf(name)!));
        }
        // A secret written for a consumer whose rows then failed is deleted again: every new live secret is a consumer's.
        var referenced = consumers.Select(c => c.GetString(nameof(ConsumerEntity.SecretName))).ToHashSet();
        Assert.All(app.Vault.Names.Where(n => !earlierSecrets.Contains(n)), n => Assert.Contains(n, referenced));
    }

    /// <summary>The secret the consumer's row names, as the vault holds it (what an admin's "reveal" shows).</summary>
    private async Task<string> CurrentSecretAsync(string clientId)
    {
        var row = (await app.Services.GetRequiredService<ConsumerStore>().FindAsync(app.Tenant.Id, clientId))!;
        return app.Vault.ValueOf(row.SecretName!)!;
    }

    private async Task AssertRowSecretIsInTheVaultAsync(string clientId, string secret)
    {
        var row = (await app.Services.GetRequiredService<ConsumerStore>().FindAsync(app.Tenant.Id, clientId))!;
        Assert.True(app.Vault.Contains(row.SecretName!), "the consumer's secret is missing from the vault");
        Assert.Equal(secret, app.Vault.ValueOf(row.SecretName!));
    }

    /// <summary>Client authentication comes first (RFC 6749 §3.2.1): a bogus code says invalid_grant to a right secret, invalid_client to a wrong one.</summary>
    private async Task<bool> SecretWorksAsync(string clientId, string secret)
    {
        var (response, body) = await new TokenClient(app.App, clientId, secret).ExchangeAsync("not-a-code", "v", TestTenant.ClientCallback);
        return (string?)body!["error"] switch
        {
            "invalid_grant" => true,
            "invalid_client" => false,
            _ => throw new InvalidOperationException($"{(int)response.StatusCode}: {body}"),
        };
    }

    private async Task AssertEveryCodeHasItsGrantAsync()
    {
        var rows = await PartitionAsync(TableNames.Grants);
        var grants = rows.Where(r => r.RowKey.StartsWith(GrantEntity.RowKeyPrefix, StringComparison.Ordinal)).Select(r => r.RowKey).ToHashSet();
        foreach (var code in rows.Where(r => r.RowKey.StartsWith(AuthorizationCodeEntity.RowKeyPrefix, StringComparison.Ordinal)))
            Assert.Contains(GrantEntity.RowKeyFor(code.GetString("UserId"), code.GetString("ClientId")), grants);
    }

    private async Task AssertEveryRedeemedCodeHasItsFamilyAsync()
    {
        var rows = await PartitionAsync(TableNames.Grants);
        var keys = rows.Select(r => r.RowKey).ToHashSet();
        foreach (var code in rows.Where(r => r.RowKey.StartsWith(AuthorizationCodeEntity.RowKeyPrefix, StringComparison.Ordinal) && r.GetDateTimeOffset("RedeemedAt") is not null))
        {
            var family = code.GetString("FamilyId");
            Assert.Contains(TokenFamilyEntity.RowKeyPrefix + family, keys);
            Assert.Contains(GrantFamilyEntity.PrefixFor(code.GetString("UserId"), code.GetString("ClientId")) + family, keys);
        }
    }

    private async Task<WorkOrderDetails> DetailsAsync(string folio) =>
        (await app.Services.GetRequiredService<IWorkOrderService>().GetAsync(app.Tenant.Id, folio)).Value;

    private async Task<List<string>> FoliosWithTitleAsync(string title)
    {
        var folios = new List<string>();
        foreach (var row in await PartitionAsync(TableNames.WorkOrders, WorkOrderRows.HeaderPrefix))
        {
            var folio = WorkOrder.FormatFolio(Keys.FromInverted(row.RowKey[WorkOrderRows.HeaderPrefix.Length..]));
            if ((await DetailsAsync(folio)).Order.Title == title) folios.Add(folio);
        }
        return folios;
    }

    private async Task<List<string>> ConsumerNamesAsync() =>
        (await PartitionAsync(TableNames.Consumers, ConsumerEntity.RowKeyPrefix)).Select(r => r.GetString(nameof(ConsumerEntity.Name))).ToList();

    /// <summary>
    /// Every order's history matches its revision, and its index and downtime rows are exactly the projection of
    /// the record (same keys, same summary); no index row points at an order that does not exist.
    /// </summary>
    private async Task AssertWorkOrdersWholeAsync()
    {
        var rows = await PartitionAsync(TableNames.WorkOrders);
        var derived = Maintenance.StoredProjections.Of(rows);
        var expected = new Dictionary<string, (string? Ref, string? Data)>();
        foreach (var header in rows.Where(r => r.RowKey.StartsWith(WorkOrderRows.HeaderPrefix, StringComparison.Ordinal)))
        {
            var folio = WorkOrder.FormatFolio(Keys.FromInverted(header.RowKey[WorkOrderRows.HeaderPrefix.Length..]));
            var details = await DetailsAsync(folio);
            Assert.Equal(details.History.Count, details.Order.Revision);
            foreach (var row in WorkOrderRows.Project(app.Tenant.Id.Value, details.Order)) expected[row.RowKey] = (row.Ref, row.Data);
        }
        Assert.Equal(expected.Keys.Order(), derived.Keys.Order());
        foreach (var (key, value) in expected) Assert.Equal(value, derived[key]);
    }
}
