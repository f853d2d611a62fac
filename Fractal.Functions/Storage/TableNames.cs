namespace Fractal.Functions.Storage;

/// <summary>Every table the app uses (docs/storage-schema.md describes each; infra/ creates them in Azure).</summary>
public static class TableNames
{
    public const string ServiceKeys = "ServiceKeys";
    public const string Tenants = "Tenants";
    public const string Users = "Users";
    public const string EmailIndex = "EmailIndex";
    public const string Sessions = "Sessions";
    public const string SignInThrottle = "SignInThrottle";
    public const string Consumers = "Consumers";
    public const string ClientIndex = "ClientIndex";
    public const string Grants = "Grants";
    /// <summary>Clients of no tenant: dynamically registered ones and fetched client ID metadata documents.</summary>
    public const string GlobalClients = "GlobalClients";
    public const string AuditLog = "AuditLog";
    public const string McpIdempotency = "McpIdempotency";

    // Maintenance data (Maintenance/, docs/storage-schema.md "Maintenance"): PartitionKey = tenant id everywhere.
    public const string MaintenanceSettings = "MntSettings";
    public const string Assets = "MntAssets";
    public const string WorkOrders = "MntWorkOrders";
    public const string Requests = "MntRequests";
    public const string Meters = "MntMeters";
    public const string Plans = "MntPlans";
    public const string Inventory = "MntInventory";

    public static IReadOnlyList<string> All { get; } =
        [ServiceKeys, Tenants, Users, EmailIndex, Sessions, SignInThrottle, Consumers, ClientIndex, Grants, GlobalClients, AuditLog, McpIdempotency,
         MaintenanceSettings, Assets, WorkOrders, Requests, Meters, Plans, Inventory];
}
