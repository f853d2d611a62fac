namespace Fractal.Functions.Storage;

/// <summary>Every table the app uses (docs/storage-schema.md describes each; infra/ creates them in Azure).</summary>
public static class TableNames
{
    public const string ServiceKeys = "ServiceKeys";

    // Maintenance data (Maintenance/, docs/storage-schema.md "Maintenance"): PartitionKey = tenant id everywhere.
    public const string MaintenanceSettings = "MntSettings";
    public const string Assets = "MntAssets";
    public const string WorkOrders = "MntWorkOrders";
    public const string Requests = "MntRequests";
    public const string Meters = "MntMeters";
    public const string Plans = "MntPlans";
    public const string Inventory = "MntInventory";

    public static IReadOnlyList<string> All { get; } =
        [ServiceKeys, MaintenanceSettings, Assets, WorkOrders, Requests, Meters, Plans, Inventory];
}
