using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.People;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Search;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.Storage;

namespace Fractal.Functions.Maintenance.Stores.People;

/// <summary>
/// <see cref="IPeopleService"/>. The people list is the <c>person|</c> rows of <c>MntSettings</c>; names of users come
/// from the tenant's user list (<c>Users</c>, <c>email|</c> rows). Both are small and read together, one range each,
/// into a per-process copy kept for a minute like the settings (a renamed person shows the old name on other instances
/// for at most that minute; this instance's saves drop its copy).
/// </summary>
internal sealed class PeopleService(TableStore tables, ITenantSettingsService settings, TimeProvider time) : IPeopleService
{
    private const string PersonPrefix = "person|";
    /// <summary>People and users read per tenant; a larger directory is cut (names of the rest show as ids).</summary>
    private const int MaxRows = 2_000;
    private const int MaxCandidates = 10;

    private readonly ProcessCopies<Directory> _copies = new(time, TimeSpan.FromMinutes(1), 200_000, d => d.Names.Count);

    private sealed record Directory(IReadOnlyList<Person> People, IReadOnlyDictionary<string, string> Names);

    public async Task<IReadOnlyList<Person>> ListAsync(TenantId tenant, CancellationToken ct = default) => (await GetAsync(tenant, ct).ConfigureAwait(false)).People;

    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(TenantId tenant, CancellationToken ct = default) => (await GetAsync(tenant, ct).ConfigureAwait(false)).Names;

    public async Task<DomainResult<string>> ResolveAsync(TenantId tenant, string text, string argument, bool assignableOnly, CancellationToken ct = default)
    {
        var wanted = text.Trim();
        var directory = await GetAsync(tenant, ct).ConfigureAwait(false);
        var people = assignableOnly ? directory.People.Where(p => p.Assignable).ToList() : directory.People;
        if (people.FirstOrDefault(p => string.Equals(p.Id, wanted, StringComparison.OrdinalIgnoreCase)) is { } byId) return byId.Id;
        if (!assignableOnly && directory.Names.ContainsKey(wanted)) return wanted; // a user's id
        if (directory.People.Count == 0) return wanted; // no people list: ids are free text, as given

        var folded = Words(wanted);
        var exact = people.Where(p => Words(p.Name).SequenceEqual(folded)).ToList();
        var matches = exact.Count > 0 ? exact : people.Where(p => folded.All(w => Words(p.Name).Any(n => n.StartsWith(w, StringComparison.Ordinal)))).ToList();
        if (matches.Count == 1) return matches[0].Id;
        if (matches.Count > 1)
            return MaintenanceErrors.PersonAmbiguous(argument, wanted, matches.Count, Describe(matches));
        return MaintenanceErrors.PersonUnknown(argument, wanted, Describe(people));
    }

    public async Task SaveAsync(TenantId tenant, IEnumerable<Person> people, CancellationToken ct = default)
    {
        var rows = people.Select(p => new IndexRow
        {
            PartitionKey = tenant.Value, RowKey = PersonPrefix + Keys.Text(p.Id), Ref = p.Id, Data = JsonSerializer.Serialize(p, MaintenanceJson.Default.Person),
        }).ToList();
        foreach (var chunk in rows.Chunk(100))
        {
            var result = await tables.TrySubmitAsync(TableNames.MaintenanceSettings,
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList(), ct).ConfigureAwait(false);
            if (!result.Succeeded) throw new InvalidOperationException($"Saving people failed: {result.Status}.");
        }
        _copies.Invalidate(tenant.Value);
    }

    public async Task<IReadOnlyList<PersonWorkload>> WorkloadAsync(TenantId tenant, string? personId, CancellationToken ct = default)
    {
        var directory = GetAsync(tenant, ct);
        var clock = (await settings.GetAsync(tenant, ct).ConfigureAwait(false)).Clock();
        // Open orders are the status index's first two values, one contiguous range: x|st|1| (in process), x|st|2| (in review).
        var open = await tables.ReadRangeAsync<IndexRow>(TableNames.WorkOrders, tenant.Value,
            $"{WorkOrderRows.ByStatus}{(int)WorkOrderStatus.InProcess}|", $"{WorkOrderRows.ByStatus}{(int)WorkOrderStatus.InReview + 1}|", MaxOpenOrders, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var today = clock.LocalDate(now);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var (weekStart, weekEnd) = clock.Days(monday, monday.AddDays(6));
        var byPerson = open.Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.WorkOrderSummary)!)
            .Where(s => s.Responsible is not null)
            .ToLookup(s => s.Responsible!, StringComparer.OrdinalIgnoreCase);
        var people = (await directory.ConfigureAwait(false)).People.Where(p => p.Assignable)
            .Where(p => personId is null || string.Equals(p.Id, personId, StringComparison.OrdinalIgnoreCase));
        return people.Select(p =>
        {
            var orders = byPerson[p.Id].ToList();
            return new PersonWorkload(p.Id, p.Name, orders.Count, orders.Count(o => o.IsOverdue(now)),
                orders.Count(o => o.DueAt is { } due && due >= weekStart && due < weekEnd));
        }).ToList();
    }

    /// <summary>Open orders a workload reads at most (a tenant with more has its counts cut; the tool says the figure is a floor).</summary>
    public const int MaxOpenOrders = 10_000;

    private async Task<Directory> GetAsync(TenantId tenant, CancellationToken ct) =>
        (await _copies.GetAsync(tenant.Value, c => ReadAsync(tenant, c), ct).ConfigureAwait(false))!;

    private async Task<Directory?> ReadAsync(TenantId tenant, CancellationToken ct)
    {
        var people = tables.ReadPrefixAsync<IndexRow>(TableNames.MaintenanceSettings, tenant.Value, PersonPrefix, MaxRows, ct);
        var users = tables.ReadPrefixAsync<UserListEntity>(TableNames.Users, tenant.Value, UserListEntity.RowKeyPrefix, MaxRows, ct);
        var list = (await people.ConfigureAwait(false)).Select(r => JsonSerializer.Deserialize(r.Data!, MaintenanceJson.Default.Person)!)
            .OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in await users.ConfigureAwait(false))
            if (!string.IsNullOrWhiteSpace(user.DisplayName)) names[user.UserId] = user.DisplayName;
        foreach (var person in list) names[person.Id] = person.Name;
        return new Directory(list, names);
    }

    private static List<string> Words(string text) => TextNormalizer.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Describe(IEnumerable<Person> people)
    {
        var list = people.ToList();
        return string.Join(", ", list.Take(MaxCandidates).Select(p => $"{p.Name} ({p.Id})")) + (list.Count > MaxCandidates ? $" and {list.Count - MaxCandidates} more" : "");
    }
}
