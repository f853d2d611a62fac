using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Maintenance.Search;

public sealed class SearchServiceTests
{
    private static async Task<(MaintenanceTestHost Host, ISearchService Search)> ArrangeAsync()
    {
        var host = await (await MaintenanceTestHost.CreateAsync()).WithSmallPlantAsync();
        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Cambio de aceite", WorkOrderType.Preventive, 3, "EQ1", [new NewTask("Cambiar aceite", 45)]), "sup");
        await host.WorkOrders.CreateAsync(host.Tenant, new NewWorkOrder("Sello con fuga", WorkOrderType.Corrective, 2, "EQ2", [new NewTask("Cambiar sello", 90)]), "sup");
        await host.Services.GetRequiredService<IInventoryService>().CreatePartAsync(host.Tenant, new Part("FIL-AIRE-01", "Filtro de aire compresor", "un", 25m, "Filtros"));
        return (host, host.Services.GetRequiredService<ISearchService>());
    }

    [Theory]
    [InlineData("compresor")]
    [InlineData("Compresor")]
    [InlineData("COMPRESOR")]
    [InlineData("compresór")]
    public async Task Search_finds_accented_and_unaccented_forms_in_any_case(string query)
    {
        var (host, search) = await ArrangeAsync();
        var hits = (await search.SearchAsync(host.Tenant, query)).Value;

        Assert.Contains(hits, h => h is { Kind: SearchKind.Asset, Id: "EQ1" });
        Assert.Contains(hits, h => h is { Kind: SearchKind.WorkOrder, Id: "OT-1" });
        Assert.Contains(hits, h => h is { Kind: SearchKind.Part, Id: "FIL-AIRE-01" });
        Assert.DoesNotContain(hits, h => h.Id is "EQ2" or "OT-2");
    }

    [Fact]
    public async Task The_full_name_with_its_number_sign_ranks_that_asset_first()
    {
        var (host, search) = await ArrangeAsync();
        var hits = (await search.SearchAsync(host.Tenant, "Compresor N°2")).Value;
        Assert.Equal((SearchKind.Asset, "EQ1"), (hits[0].Kind, hits[0].Id));
    }

    [Fact]
    public async Task Accents_in_stored_text_do_not_hide_it_from_an_unaccented_query()
    {
        var (host, search) = await ArrangeAsync();
        await host.Assets.CreateAsync(host.Tenant, new NewAsset("GRUA-1", "Grúa horquilla eléctrica", Fractal.Functions.Maintenance.Domain.Assets.AssetKind.Equipment,
            Fractal.Functions.Maintenance.Domain.Assets.AssetLevel.Equipment, "SY1", 3));
        Assert.Equal("GRUA-1", Assert.Single((await search.SearchAsync(host.Tenant, "grua electrica")).Value).Id);
    }

    [Fact]
    public async Task A_record_matching_every_word_outranks_one_matching_some_and_an_exact_word_outranks_a_prefix()
    {
        var (host, search) = await ArrangeAsync();
        var both = (await search.SearchAsync(host.Tenant, "filtro compresor")).Value;
        Assert.Equal("FIL-AIRE-01", both[0].Id);

        var prefix = (await search.SearchAsync(host.Tenant, "compre", [SearchKind.Asset])).Value;
        var exact = (await search.SearchAsync(host.Tenant, "compresor", [SearchKind.Asset])).Value;
        Assert.Equal("EQ1", Assert.Single(prefix).Id);
        Assert.True(exact[0].Score > prefix[0].Score);
    }

    [Fact]
    public async Task Search_is_limited_to_the_tenant_and_refuses_bad_parameters()
    {
        var (_, search) = await ArrangeAsync();
        var stranger = await MaintenanceTestHost.CreateAsync();
        Assert.Empty((await search.SearchAsync(stranger.Tenant, "compresor")).Value);
        Assert.Equal(DomainErrorKind.Invalid, (await search.SearchAsync(stranger.Tenant, "x", limit: 0)).Error!.Kind);
        Assert.Equal(DomainErrorKind.Invalid, (await search.SearchAsync(stranger.Tenant, "  ")).Error!.Kind);
    }

    [Fact]
    public async Task Listing_assets_by_text_uses_the_same_ranking()
    {
        var (host, _) = await ArrangeAsync();
        var page = (await host.Assets.ListAsync(host.Tenant, new AssetQuery(Text: "compresor"), PageRequest.First())).Value;
        Assert.Equal("EQ1", Assert.Single(page.Items).Id);
    }
}
