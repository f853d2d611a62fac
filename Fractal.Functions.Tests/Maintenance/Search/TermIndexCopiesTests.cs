using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.Assets;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Maintenance.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Search;

/// <summary>
/// The per-process copy of the insert-only kinds' term index (<see cref="TermIndexCopies"/>): it answers every term
/// exactly as the range read does, is keyed by tenant, is dropped by this instance's creations, and lags another
/// instance's by at most the cache lifetime.
/// </summary>
public sealed class TermIndexCopiesTests
{
    public static TheoryData<string> CopiedTables => [TableNames.Assets, TableNames.Inventory, TableNames.Plans];

    [Theory]
    [MemberData(nameof(CopiedTables))]
    public async Task The_copy_answers_every_term_and_prefix_of_the_demo_plant_with_the_rows_the_range_read_returns(string table)
    {
        var demo = await DemoPlantFixture.GetAsync();
        var tables = demo.Host.Services.GetRequiredService<TableStore>();
        var copy = await demo.Host.Services.GetRequiredService<TermIndexCopies>().GetAsync(table, demo.Tenant.Value, CancellationToken.None);
        Assert.NotNull(copy); // the demo plant is small enough to copy

        // Storage's own order is the truth: every prefix a query can ask for, answered from the whole index as read.
        var stored = await tables.ReadPrefixAsync<IndexRow>(table, demo.Tenant.Value, TermIndexReader.Prefix, 100_000, CancellationToken.None);
        Assert.Equal(stored.Count, copy.Count);
        var terms = stored.Select(r => r.RowKey[TermIndexReader.Prefix.Length..r.RowKey.IndexOf('|', TermIndexReader.Prefix.Length)]).Distinct().ToList();
        var prefixes = terms.Select(t => $"{TermIndexReader.Prefix}{t}|")
            .Concat(terms.Where(t => t.Length >= 3).SelectMany(t => Enumerable.Range(3, t.Length - 2).Select(n => TermIndexReader.Prefix + t[..n])))
            .Append(TermIndexReader.Prefix + "zzzzzz").Distinct().ToList();
        foreach (var prefix in prefixes)
        {
            var expected = stored.Where(r => r.RowKey.StartsWith(prefix, StringComparison.Ordinal)).Take(TermIndexReader.MaxRowsPerTerm)
                .Select(r => (r.RowKey, r.Ref, r.Data, r.Weight));
            Assert.Equal(expected, copy.StartingWith(prefix, TermIndexReader.MaxRowsPerTerm).Select(r => (r.Key, r.Ref, (string?)r.Title, r.Weight)));
        }

        // And the range read itself, for the busiest prefixes (the 500-row cap included when the plant reaches it).
        foreach (var prefix in prefixes.OrderByDescending(p => stored.Count(r => r.RowKey.StartsWith(p, StringComparison.Ordinal))).Take(3))
        {
            var read = await tables.ReadPrefixAsync<IndexRow>(table, demo.Tenant.Value, prefix, TermIndexReader.MaxRowsPerTerm, CancellationToken.None);
            Assert.Equal(read.Select(r => r.RowKey), copy.StartingWith(prefix, TermIndexReader.MaxRowsPerTerm).Select(r => r.Key));
        }
    }

    [Fact]
    public async Task Assets_parts_and_plans_created_on_this_instance_are_found_by_its_next_search()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var search = host.Services.GetRequiredService<ISearchService>();
        Assert.Empty((await search.SearchAsync(host.Tenant, "secador")).Value); // every copy is warm and has no dryer

        await host.Assets.CreateAsync(host.Tenant, new NewAsset("EQ3", "Secador frigorífico", AssetKind.Equipment, AssetLevel.Equipment, "SY1", 2));
        await host.Services.GetRequiredService<IInventoryService>().CreatePartAsync(host.Tenant, new Part("FIL-SEC-01", "Filtro del secador", "un", 40m));
        await host.Services.GetRequiredService<IPlanService>().CreatePlanAsync(host.Tenant,
            new PreventivePlan("PM-SEC", "Revisión del secador", ["EQ3"], [new PlanTask(1, "Purgar condensado", TriggerKind.EveryDays, 30, 15, WorkOrderType.Preventive)]), host.Clock.GetUtcNow());

        var hits = (await search.SearchAsync(host.Tenant, "secador")).Value.Select(h => (h.Kind, h.Id)).ToList();
        Assert.Equal([(SearchKind.Asset, "EQ3"), (SearchKind.Part, "FIL-SEC-01"), (SearchKind.Plan, "PM-SEC")], hits.Order());
    }

    [Fact]
    public async Task A_part_created_on_another_instance_joins_this_instances_search_within_the_cache_lifetime()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var second = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow(), host.Tenant);
        var search = host.Services.GetRequiredService<ISearchService>();
        Assert.Empty((await search.SearchAsync(host.Tenant, "correa")).Value);

        await second.Services.GetRequiredService<IInventoryService>().CreatePartAsync(host.Tenant, new Part("COR-01", "Correa dentada", "un", 12m));

        // The documented bound: this instance's copy may lack it until the copy expires (the other instance finds it at once).
        Assert.Empty((await search.SearchAsync(host.Tenant, "correa")).Value);
        Assert.Equal("COR-01", Assert.Single((await second.Services.GetRequiredService<ISearchService>().SearchAsync(host.Tenant, "correa")).Value).Id);
        host.Clock.Advance(AssetCatalogue.CacheFor + TimeSpan.FromSeconds(1));
        Assert.Equal("COR-01", Assert.Single((await search.SearchAsync(host.Tenant, "correa")).Value).Id);
    }

    [Fact]
    public async Task A_tenants_copied_terms_are_never_searched_for_another_tenant()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        var other = await MaintenanceTestHost.CreateAsync(host.Clock.GetUtcNow());
        var search = host.Services.GetRequiredService<ISearchService>();
        await host.Services.GetRequiredService<IInventoryService>().CreatePartAsync(host.Tenant, new Part("BAN-01", "Banda transportadora", "m", 90m));
        Assert.Single((await search.SearchAsync(host.Tenant, "banda")).Value); // copied for the first tenant

        Assert.Empty((await search.SearchAsync(other.Tenant, "banda")).Value);
        Assert.Empty((await search.SearchAsync(other.Tenant, "compresor")).Value);
    }
}
