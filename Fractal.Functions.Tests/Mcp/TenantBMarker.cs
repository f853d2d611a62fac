using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// Records that exist in tenant B only, made once per run through the maintenance services: an asset
/// <see cref="AssetId"/> and a request naming it. Both plants are otherwise identical (same folios and codes),
/// so the marker text showing up in anything tenant A receives would be a leak.
/// </summary>
public sealed record TenantBMarker(string AssetId, string RequestId)
{
    public const string Text = "Zeta Exclusivo";
    public const string Code = "ZZ-MARCA";

    private static readonly Lazy<Task<TenantBMarker>> Shared = new(CreateAsync);

    public static Task<TenantBMarker> GetAsync() => Shared.Value;

    private static async Task<TenantBMarker> CreateAsync()
    {
        var plant = await McpPlant.GetAsync();
        var services = plant.App.Services;
        var asset = await services.GetRequiredService<IAssetService>().CreateAsync(plant.B.Id,
            new NewAsset(Code, $"Compresor {Text}", AssetKind.Equipment, AssetLevel.Equipment, "SRV-AIRE", 2, Description: $"Solo en B: {Text}"));
        var request = await services.GetRequiredService<IRequestService>().CreateAsync(plant.B.Id,
            new NewServiceRequest($"Fuga de aire en {Text}", "op-linea1", $"Reportado en {Code}", Code, Urgent: true));
        return new TenantBMarker(asset.Value.Id, request.Value.Id);
    }

    /// <summary>
    /// True when <paramref name="text"/> carries the marker's text, which is in the records' names and
    /// descriptions only (ids are not a sign: an error message rightly echoes the id that was asked for).
    /// </summary>
    public static bool IsIn(string text) => text.Contains(Text, StringComparison.OrdinalIgnoreCase);
}
