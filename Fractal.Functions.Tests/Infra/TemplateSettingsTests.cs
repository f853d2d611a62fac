using System.Reflection;
using System.Text.Json.Nodes;
using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Infra;

/// <summary>The app settings the template deploys agree with the settings the app reads, so infra and code cannot drift.</summary>
[Collection(InfraCollection.Name)]
public sealed class TemplateSettingsTests(CompiledInfra infra)
{
    /// <summary>
    /// Settings of local.settings.sample.json that are never deployed, and why. Keep this list short; the same
    /// list is in infra/modules/app-settings.bicep and docs/deployment.md.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> LocalOnlySettings = new Dictionary<string, string>
    {
        ["Storage__ConnectionString"] = "Azurite or a key-based account; Azure uses Storage__TableServiceUri with the managed identity",
        ["Secrets__DevelopmentFilePath"] = "the development secret store, which the app refuses outside Development",
        ["AzureWebJobsStorage"] = "a connection string; Azure uses the identity-based AzureWebJobsStorage__* settings",
        ["FUNCTIONS_WORKER_RUNTIME"] = "Flex Consumption takes the runtime from functionAppConfig and rejects this setting",
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "unset in Azure, which means Production",
    };

    /// <summary>Sample settings whose Azure value differs from the local one (each is checked below).</summary>
    private static readonly string[] SetForAzure = ["Storage__TableServiceUri", "Secrets__Provider", "KeyVault__Uri", "Fractal__PublicBaseUrl", "APPLICATIONINSIGHTS_CONNECTION_STRING"];

    private ArmResource Config => infra.Main.ResourcesOfType("Microsoft.Web/sites/config")
        .Single(c => ((string)c.Json["name"]!).Contains("'appsettings'"));

    private JsonObject AppSettings => Config.At("properties")!.AsObject();

    private string? Setting(string key) => Config.Template.ResolveString(AppSettings[key]);

    private static JsonObject SampleValues =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();

    [Fact]
    public void The_app_settings_cover_every_setting_of_the_local_sample_except_the_local_only_ones()
    {
        var missing = SampleValues.Select(s => s.Key)
            .Where(k => !LocalOnlySettings.ContainsKey(k) && !AppSettings.ContainsKey(k))
            .ToList();
        Assert.True(missing.Count == 0,
            $"Set these in infra/modules/app-settings.bicep, or add them to the local-only list with a reason: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_functions_hosts_home_page_is_off_in_azure_and_locally_so_get_root_is_404_as_standalone()
    {
        Assert.Equal("true", Setting("AzureWebJobsDisableHomepage"));
        Assert.Equal("true", (string?)SampleValues["AzureWebJobsDisableHomepage"]);
    }

    [Fact]
    public void The_local_only_settings_are_in_the_sample_and_never_deployed()
    {
        foreach (var key in LocalOnlySettings.Keys)
        {
            Assert.True(SampleValues.ContainsKey(key), $"{key} is no longer in local.settings.sample.json: drop it from the list");
            Assert.False(AppSettings.ContainsKey(key), $"{key} is local-only but the template deploys it");
        }
    }

    [Fact]
    public void Tunable_settings_keep_the_defaults_of_the_local_sample()
    {
        foreach (var (key, value) in SampleValues)
        {
            if (LocalOnlySettings.ContainsKey(key) || SetForAzure.Contains(key)) continue;
            Assert.True((string?)value == Setting(key), $"{key}: sample '{value}', template '{Setting(key)}'");
        }
    }

    [Fact]
    public void Every_option_the_app_binds_is_set_in_Azure_or_listed_as_local_only()
    {
        var optionKeys = typeof(StorageOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Section is { IsLiteral: true } && t.Section.FieldType == typeof(string))
            .SelectMany(t => t.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && IsScalar(p.PropertyType))
                .Select(p => $"{t.Section!.GetRawConstantValue()}__{p.Name}"))
            .ToList();

        Assert.Contains("Storage__TableServiceUri", optionKeys);
        var unset = optionKeys.Where(k => !AppSettings.ContainsKey(k) && !LocalOnlySettings.ContainsKey(k)).ToList();
        Assert.True(unset.Count == 0, $"Options the template does not set: {string.Join(", ", unset)}");
    }

    [Fact]
    public void The_functions_host_reaches_its_storage_by_managed_identity_only()
    {
        Assert.Equal("managedidentity", Setting("AzureWebJobsStorage__credential"));
        Assert.Equal(IdentityClientId(), Setting("AzureWebJobsStorage__clientId"));
        Assert.Contains("outputs.blobServiceUri.value", Setting("AzureWebJobsStorage__blobServiceUri"));
        Assert.Contains("outputs.queueServiceUri.value", Setting("AzureWebJobsStorage__queueServiceUri"));
        Assert.Contains("outputs.tableServiceUri.value", Setting("AzureWebJobsStorage__tableServiceUri"));
        Assert.False(AppSettings.ContainsKey("AzureWebJobsStorage"));
    }

    [Fact]
    public void The_app_reaches_its_tables_and_its_vault_by_managed_identity_only()
    {
        Assert.Contains("outputs.tableServiceUri.value", Setting("Storage__TableServiceUri"));
        Assert.Equal(SecretProvider.KeyVault, Setting("Secrets__Provider"));
        Assert.Contains("'key-vault'", Setting("KeyVault__Uri"));
        Assert.Contains("outputs.uri.value", Setting("KeyVault__Uri"));

        // No credential of any kind in any setting.
        foreach (var (key, _) in AppSettings)
        {
            var value = Setting(key) ?? "";
            Assert.DoesNotContain("AccountKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void AZURE_CLIENT_ID_is_the_client_id_of_the_apps_user_assigned_identity()
    {
        Assert.Equal(IdentityClientId(), Setting("AZURE_CLIENT_ID"));
    }

    [Fact]
    public void Telemetry_goes_to_Application_Insights_with_Entra_ID_as_the_apps_identity()
    {
        Assert.Contains("outputs.applicationInsightsConnectionString.value", Setting("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        Assert.Equal("[format('Authorization=AAD;ClientId={0}', parameters('identityClientId'))]",
            (string?)AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal(IdentityClientId(), Config.Template.ResolveString(JsonValue.Create("[parameters('identityClientId')]")));
    }

    [Fact]
    public void The_public_base_url_is_the_apps_own_https_host_or_the_custom_domain()
    {
        var value = Setting("Fractal__PublicBaseUrl")!;
        Assert.Contains("if(empty(parameters('customDomain'))", value);
        Assert.Contains("format('https://{0}', reference(resourceId('Microsoft.Web/sites', parameters('name'))", value);
        Assert.Contains(".defaultHostName)", value);
        Assert.Contains("format('https://{0}', parameters('customDomain'))", value);
        Assert.Equal("", (string?)infra.Main.Parameters["customDomain"]!["defaultValue"]);
    }

    /// <summary>The template's expression for the client id of the app's one user-assigned identity.</summary>
    private string IdentityClientId()
    {
        var identity = infra.Main.OwnResources.Single(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        var name = ((string)identity.Json["name"]!).Trim('[', ']');
        return $"[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', {name}), '{identity.Json["apiVersion"]}').clientId]";
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri);
    }
}
