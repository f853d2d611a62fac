using System.Text.Json.Nodes;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Tests.Infra;

/// <summary>What infra/main.bicep deploys, read from its compiled ARM template.</summary>
[Collection(InfraCollection.Name)]
public sealed class TemplateSecurityTests(CompiledInfra infra)
{
    private ArmTemplate Main => infra.Main;

    [Fact]
    public void The_storage_account_refuses_shared_keys_public_blobs_plain_HTTP_and_old_TLS()
    {
        var account = Main.Single("Microsoft.Storage/storageAccounts");
        Assert.False(account.At("properties.allowSharedKeyAccess")!.GetValue<bool>());
        Assert.False(account.At("properties.allowBlobPublicAccess")!.GetValue<bool>());
        Assert.True(account.At("properties.supportsHttpsTrafficOnly")!.GetValue<bool>());
        Assert.Equal("TLS1_2", account.StringAt("properties.minimumTlsVersion"));
    }

    [Fact]
    public void Every_table_the_app_uses_is_created()
    {
        var tables = Main.Single("Microsoft.Storage/storageAccounts/tableServices/tables");
        // One resource looped over the list: `name` ends in parameters('tableNames')[copyIndex()].
        Assert.Contains("parameters('tableNames')[copyIndex()]", (string)tables.Json["name"]!);
        var created = tables.Template.Resolve(JsonValue.Create("[parameters('tableNames')]"))!.AsArray()
            .Select(t => (string)t!).ToList();

        var missing = TableNames.All.Except(created).ToList();
        var unknown = created.Except(TableNames.All).ToList();
        Assert.True(missing.Count == 0, $"Add to infra/tables.json: {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"Not in TableNames.All; remove from infra/tables.json: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_deployment_container_is_private()
    {
        var container = Main.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", container.StringAt("properties.publicAccess"));
    }

    [Fact]
    public void The_key_vault_uses_RBAC_with_soft_delete_and_purge_protection()
    {
        var vault = Main.Single("Microsoft.KeyVault/vaults");
        Assert.True(vault.At("properties.enableRbacAuthorization")!.GetValue<bool>());
        Assert.True(vault.At("properties.enableSoftDelete")!.GetValue<bool>());
        Assert.True(vault.At("properties.enablePurgeProtection")!.GetValue<bool>());
        Assert.Null(vault.At("properties.accessPolicies"));
    }

    [Fact]
    public void Application_Insights_accepts_only_Entra_ID_authenticated_telemetry_into_the_workspace()
    {
        var insights = Main.Single("Microsoft.Insights/components");
        Assert.True(insights.At("properties.DisableLocalAuth")!.GetValue<bool>());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.StringAt("properties.WorkspaceResourceId"));
    }

    [Fact]
    public void The_function_app_runs_dotnet_isolated_10_on_a_Flex_Consumption_plan()
    {
        var plan = Main.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.StringAt("sku.name"));
        Assert.Equal("FlexConsumption", plan.StringAt("sku.tier"));

        var site = Main.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.StringAt("kind"));
        Assert.Equal("dotnet-isolated", site.StringAt("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", site.StringAt("properties.functionAppConfig.runtime.version"));
        // azd finds the app of its "fractal" service (azure.yaml) by this tag.
        Assert.Contains("createObject('azd-service-name', parameters('azdServiceName'))", (string?)site.Json["tags"]);
        Assert.Equal("fractal", site.Template.ResolveString(JsonValue.Create("[parameters('azdServiceName')]")));
    }

    [Fact]
    public void The_function_app_is_HTTPS_only_with_TLS_1_2_and_no_FTP_or_basic_auth_publishing()
    {
        var site = Main.Single("Microsoft.Web/sites");
        Assert.True(site.At("properties.httpsOnly")!.GetValue<bool>());
        Assert.Equal("1.2", site.StringAt("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", site.StringAt("properties.siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", site.StringAt("properties.siteConfig.ftpsState"));

        var policies = Main.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => LastNameSegment(p)).Order());
        Assert.All(policies, p => Assert.False(p.At("properties.allow")!.GetValue<bool>()));
    }

    [Fact]
    public void The_app_and_its_deployment_package_use_the_user_assigned_identity()
    {
        var site = Main.Single("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", site.StringAt("identity.type"));
        var assigned = site.At("identity.userAssignedIdentities")!.AsObject().Single().Key;
        var identityId = IdentityResourceIdExpression();
        Assert.Equal("[format('{0}', parameters('identityId'))]", assigned);
        Assert.Equal(identityId, site.Template.ResolveString(JsonValue.Create("[parameters('identityId')]")));

        Assert.Equal("blobContainer", site.StringAt("properties.functionAppConfig.deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", site.StringAt("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal(identityId, site.StringAt("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
    }

    [Fact]
    public void Always_ready_instances_are_a_parameter_that_defaults_to_one_for_the_http_group()
    {
        var parameter = Main.Parameters["alwaysReadyInstances"]!;
        Assert.Equal("int", (string?)parameter["type"]);
        Assert.Equal(1, (int?)parameter["defaultValue"]);

        var site = Main.Single("Microsoft.Web/sites");
        var alwaysReady = (string)site.Properties["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"]!;
        Assert.Contains("createObject('name', 'http', 'instanceCount', parameters('alwaysReadyInstances'))", alwaysReady);
        // The site's value is main's parameter, passed down unchanged.
        Assert.Equal("1", site.Template.ResolveString(JsonValue.Create("[parameters('alwaysReadyInstances')]")));
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts")] // Storage Blob Data Owner
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")] // Storage Table Data Contributor
    [InlineData("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Microsoft.KeyVault/vaults")] // Key Vault Secrets Officer
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")] // Monitoring Metrics Publisher
    public void The_apps_identity_holds_each_data_role_it_needs(string roleDefinitionId, string scopeType)
    {
        var assignment = Main.ResourcesOfType("Microsoft.Authorization/roleAssignments").Single(a =>
            (a.StringAt("properties.roleDefinitionId") ?? "").Contains(RoleVariable(a, roleDefinitionId))
            && a.Template.ResolveString(a.Json["properties"]!["principalId"]) == IdentityReference("principalId"));

        Assert.Equal("ServicePrincipal", assignment.StringAt("properties.principalType"));
        Assert.Contains(scopeType, (string?)assignment.Json["scope"]);
        Assert.Null(assignment.Json["condition"]);
    }

    [Fact]
    public void The_deploying_principal_gets_table_and_secret_roles_only_when_its_id_is_given()
    {
        var deployer = Main.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Where(a => (string?)a.Json["properties"]!["principalId"] == "[parameters('deployerPrincipalId')]").ToList();

        Assert.Equal(2, deployer.Count);
        Assert.All(deployer, a => Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", (string?)a.Json["condition"]));
        Assert.Equal("", (string?)Main.Parameters["deployerPrincipalId"]!["defaultValue"]);
    }

    [Theory]
    [InlineData("MCP_SERVER_URL", "/mcp/oauth/fractal-one")]
    [InlineData("OAUTH_ISSUER", "outputs.publicBaseUrl.value")]
    [InlineData("KEY_VAULT_URI", "outputs.uri.value")]
    [InlineData("AZURE_RESOURCE_GROUP", "resourceGroup().name")]
    public void The_deployment_outputs_what_a_connector_and_an_operator_need(string output, string expressionPart)
    {
        Assert.Contains(expressionPart, (string?)Main.Outputs[output]?["value"]);
    }

    [Fact]
    public void The_saved_queries_are_deployed_with_the_workspace_from_the_kql_files()
    {
        var searches = Main.Single("Microsoft.OperationalInsights/workspaces/savedSearches");
        var queries = searches.Template.Resolve(JsonValue.Create("[variables('savedQueries')]"))!.AsArray();
        var files = Directory.GetFiles(Path.Combine(CompiledInfra.InfraFolder, "queries"), "*.kql");

        Assert.Equal(files.Length, queries.Count);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.Contains(queries, q => NormalizeNewlines(searches.Template.ResolveString(q!["query"]) ?? "") == NormalizeNewlines(text));
        }
    }

    /// <summary>The template's expression for the resource id of the app's one user-assigned identity.</summary>
    private string IdentityResourceIdExpression()
    {
        var identity = Main.OwnResources.Single(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        return $"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', {((string)identity.Json["name"]!).Trim('[', ']')})]";
    }

    /// <summary>The template's expression for a property of that identity (clientId, principalId).</summary>
    private string IdentityReference(string property)
    {
        var id = IdentityResourceIdExpression().Trim('[', ']');
        var apiVersion = (string)Main.OwnResources.Single(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities").Json["apiVersion"]!;
        return $"[reference({id}, '{apiVersion}').{property}]";
    }

    private static string RoleVariable(ArmResource assignment, string roleDefinitionId)
    {
        // roleDefinitionId is subscriptionResourceId('...roleDefinitions', variables('roleIds').<name>): find <name>.
        var roles = assignment.Template.Resolve(JsonValue.Create("[variables('roleIds')]"))!.AsObject();
        var name = roles.Single(r => (string?)r.Value == roleDefinitionId).Key;
        return $"variables('roleIds').{name}";
    }

    private static string LastNameSegment(ArmResource resource)
    {
        var name = (string)resource.Json["name"]!;
        return name.Split('\'')[^2];
    }

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n");
}
