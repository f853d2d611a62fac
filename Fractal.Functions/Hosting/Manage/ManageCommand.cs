using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Tenants;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Hosting.Manage;

/// <summary>
/// Operator verbs run with the app's own executable against the configured storage and secret store:
/// <c>dotnet Fractal.Functions.dll manage &lt;verb&gt; [options] [--settings FILE] [--Section:Key value]</c>.
/// No default password exists anywhere: a first administrator's password is typed (stdin) or generated
/// and printed once.
/// </summary>
public static class ManageCommand
{
    public const string Verb = "manage";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var verb = args.Length > 1 ? args[1] : null;
        var options = ManageOptions.Parse(args.Skip(2).ToArray());
        // The same composition as the app (settings, validation, stores), without serving HTTP.
        await using var app = StandaloneHost.Build(StandaloneHost.CreateBuilder(options.HostArguments));
        return await RunVerbAsync(app.Services, verb, options, Console.In, output, errors);
    }

    /// <summary>Runs one verb against an app's services (the tests call this with their app).</summary>
    public static async Task<int> RunVerbAsync(IServiceProvider services, string? verb, ManageOptions options, TextReader input, TextWriter output, TextWriter errors)
    {
        switch (verb)
        {
            case "create-tenant":
                return await CreateTenantAsync(services, options, input, output, errors);
            case "list-tenants":
                foreach (var t in await services.GetRequiredService<TenantStore>().ListAllAsync())
                    await output.WriteLineAsync($"{t.PartitionKey}\t{t.Name}\t{t.TimeZone}\tmcp={(t.McpEnabled ? "on" : "off")}");
                return 0;
            case "list-users":
                if (!TenantId.IsValid(options.Get("tenant"))) return await FailAsync(errors, "list-users needs --tenant <tenant id>.");
                string? cursor = null;
                do
                {
                    var page = await services.GetRequiredService<UserStore>().ListAsync(new TenantId(options.Get("tenant")!), null, 100, cursor);
                    foreach (var u in page.Items) await output.WriteLineAsync($"{u.UserId}\t{u.Email}\t{u.RoleId}\t{(u.Enabled ? "enabled" : "disabled")}");
                    cursor = page.NextCursor;
                } while (cursor is not null);
                return 0;
            case "purge-audit":
                var retention = services.GetRequiredService<Audit.AuditRetention>();
                var total = 0;
                foreach (var t in await services.GetRequiredService<TenantStore>().ListAllAsync())
                    total += await retention.PurgeAsync(new TenantId(t.PartitionKey));
                await output.WriteLineAsync($"Purged {total} audit entries older than the retention period.");
                return 0;
            case "reset-password":
                return await ResetPasswordAsync(services, options, output, errors);
            case "reassign-email":
                return await ReassignEmailAsync(services, options, output, errors);
            case "upgrade-work-orders":
                return await UpgradeWorkOrdersAsync(services, options, output, errors);
            case "rotate-signing-key":
                var ring = services.GetRequiredService<SigningKeyRing>();
                var key = await ring.RotateAsync();
                var published = await ring.KeysAsync();
                await output.WriteLineAsync($"New signing key {key.Kid} is current; JWKS publishes {published.Count} key(s): {string.Join(", ", published.Select(k => k.Kid))}.");
                return 0;
            default:
                await errors.WriteLineAsync("""
                    Usage: Fractal.Functions manage <verb> [options] [--settings FILE] [--Section:Key value]
                    Verbs:
                      create-tenant --tenant ID --name NAME [--time-zone IANA] --admin-email EMAIL [--admin-name NAME] [--password-stdin]
                                           a tenant with the default roles and its first administrator; the password is read
                                           from stdin with --password-stdin, otherwise generated and printed once
                      list-tenants         every tenant
                      list-users --tenant ID
                      reset-password --email EMAIL
                                           a temporary password, printed once, to be changed at the next sign-in;
                                           ends the user's sessions and revokes their app authorizations
                      reassign-email --email EMAIL --tenant ID
                                           the address signs in to tenant ID's user of that address (one its admin created
                                           while another tenant held it); the account holding it is deleted, with its
                                           app authorizations: check first who owns the address
                      rotate-signing-key   a new access-token signing key becomes current; the previous stays in JWKS
                      purge-audit          delete audit entries older than Audit:RetentionDays in every tenant
                      upgrade-work-orders [--tenant ID]
                                           rewrite work orders stored by an older version with today's derived rows (every
                                           tenant, or one); run once after deploying a version that adds some, not beside
                                           instances of the older version
                    """);
                return 2;
        }
    }

    private static async Task<int> CreateTenantAsync(IServiceProvider services, ManageOptions options, TextReader input, TextWriter output, TextWriter errors)
    {
        var id = options.Get("tenant");
        var email = options.Get("admin-email");
        if (!TenantId.IsValid(id)) return await FailAsync(errors, "--tenant must be 2-63 lower-case letters, digits and dashes.");
        if (!EmailAddress.IsValid(email)) return await FailAsync(errors, "--admin-email must be a valid email.");
        var timeZone = options.Get("time-zone") ?? "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)) return await FailAsync(errors, $"Unknown time zone {timeZone}.");

        string password;
        var generated = !options.Has("password-stdin");
        if (generated) password = Passwords.NewTemporary();
        else
        {
            password = (await input.ReadLineAsync())?.TrimEnd('\r', '\n') ?? "";
            if (Passwords.Check(password, email!) is { } problem) return await FailAsync(errors, $"The password is not acceptable ({problem}): at least {Passwords.MinLength} characters, not the email.");
        }

        var tenant = new TenantId(id!);
        if (!await services.GetRequiredService<TenantStore>().TryCreateAsync(tenant, options.Get("name") ?? id!, timeZone))
            return await FailAsync(errors, $"Tenant {id} already exists.");
        var users = services.GetRequiredService<UserStore>();
        var (status, user) = await users.CreateAsync(tenant, email!, options.Get("admin-name") ?? "Administrator", DefaultRoles.Administrator, password);
        if (status == CreateUserStatus.EmailTaken) return await FailAsync(errors, $"{email} already has an account (in some tenant); tenant {id} was created without an administrator.");
        if (generated)
        {
            user!.MustChangePassword = true;
            await users.TryUpdateAsync(user);
        }
        await output.WriteLineAsync($"Tenant {id} created with administrator {email} (user {user!.UserId}).");
        if (generated) await output.WriteLineAsync($"Temporary password (shown once; it must be changed at the first sign-in): {password}");
        return 0;
    }

    private static async Task<int> ResetPasswordAsync(IServiceProvider services, ManageOptions options, TextWriter output, TextWriter errors)
    {
        var users = services.GetRequiredService<UserStore>();
        var user = options.Get("email") is { } email ? await users.FindByEmailAsync(email) : null;
        if (user is null) return await FailAsync(errors, "reset-password needs --email of an existing user.");
        var temporary = Passwords.NewTemporary();
        users.SetPassword(user, temporary);
        user.MustChangePassword = true;
        user.SessionEpoch++;
        if (!(await users.TryUpdateAsync(user)).Succeeded) return await FailAsync(errors, "The user changed meanwhile; run the command again.");
        // Whoever knew the old password may have connected an app: its refresh tokens must not outlive the reset.
        var revoked = await services.GetRequiredService<UserAuthorizations>().RevokeAllAsync(user.Tenant, user.UserId, "password reset by the operator");
        await services.GetRequiredService<Audit.AuditLog>().WriteAsync(user.Tenant, new Audit.AuditEntry("password_reset", Audit.AuditOutcome.Success,
            Detail: $"user {user.UserId}, by the operator (manage reset-password); {revoked} app authorizations revoked"));
        await output.WriteLineAsync($"Sessions ended; {revoked} app authorization(s) revoked.");
        await output.WriteLineAsync($"Temporary password for {user.Email} (shown once; it must be changed at the next sign-in): {temporary}");
        return 0;
    }

    private static async Task<int> ReassignEmailAsync(IServiceProvider services, ManageOptions options, TextWriter output, TextWriter errors)
    {
        var email = options.Get("email");
        if (!EmailAddress.IsValid(email) || !TenantId.IsValid(options.Get("tenant"))) return await FailAsync(errors, "reassign-email needs --email EMAIL and --tenant ID.");
        var tenant = new TenantId(options.Get("tenant")!);
        var (found, deletedFrom) = await services.GetRequiredService<UserAdminService>().ReassignEmailAsync(tenant, email!);
        if (!found) return await FailAsync(errors, $"Tenant {tenant.Value} has no user with {email}; its administrator creates one first.");
        await output.WriteLineAsync(deletedFrom is { } from
            ? $"{email} now signs in to tenant {tenant.Value}; its account in tenant {from.Value} was deleted with its app authorizations."
            : $"{email} now signs in to tenant {tenant.Value}.");
        return 0;
    }

    private static async Task<int> UpgradeWorkOrdersAsync(IServiceProvider services, ManageOptions options, TextWriter output, TextWriter errors)
    {
        var only = options.Get("tenant");
        if (only is not null && !TenantId.IsValid(only)) return await FailAsync(errors, "--tenant must be 2-63 lower-case letters, digits and dashes.");
        var tenants = only is not null ? [only] : (await services.GetRequiredService<TenantStore>().ListAllAsync()).Select(t => t.PartitionKey).ToList();
        var upgrade = services.GetRequiredService<WorkOrderProjectionUpgrade>();
        foreach (var id in tenants)
        {
            var rewritten = await upgrade.RunAsync(new TenantId(id));
            await output.WriteLineAsync($"Tenant {id}: {rewritten} work orders rewritten; every order is at projection {WorkOrderRows.ProjectionVersion}.");
        }
        return 0;
    }

    private static async Task<int> FailAsync(TextWriter errors, string message)
    {
        await errors.WriteLineAsync(message);
        return 1;
    }
}

/// <summary>A verb's options (<c>--name value</c>, <c>--flag</c>), kept apart from the host's settings arguments.</summary>
public sealed class ManageOptions
{
    private static readonly HashSet<string> Own = ["tenant", "name", "time-zone", "admin-email", "admin-name", "password-stdin", "email"];
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public string[] HostArguments { get; private init; } = [];

    public string? Get(string name) => _values.GetValueOrDefault(name);
    public bool Has(string name) => _values.ContainsKey(name);

    public static ManageOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var host = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is not null && Own.Contains(name))
            {
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                values[name] = hasValue ? args[++i] : null;
            }
            else host.Add(args[i]);
        }
        var options = new ManageOptions { HostArguments = [.. host] };
        foreach (var (key, value) in values) options._values[key] = value;
        return options;
    }
}
