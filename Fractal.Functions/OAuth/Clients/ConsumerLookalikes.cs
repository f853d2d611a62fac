using System.Text;
using Fractal.Functions.Consumers;
using Fractal.Functions.Identity;
using Fractal.Functions.Storage;

namespace Fractal.Functions.OAuth.Clients;

/// <summary>
/// Whether a self-named client (a dynamic registration or a metadata document: its name is whatever it claims)
/// takes the name of one of the tenant's own consumers, compared without case, spaces or accents ("Demo
/// connector" and "DEMO  Connector" alike). Such a client is refused at consent (issue 24 #14): otherwise a
/// person who trusts the consumer their administrator set up would approve the impostor. Checked where the
/// tenant is known (consent), against the consumers the tenant created, not the linked clients of no tenant.
/// </summary>
public sealed class ConsumerLookalikes(ConsumerStore consumers)
{
    public async Task<bool> ImitatesAConsumerAsync(TenantId tenant, OAuthClient client, CancellationToken ct)
    {
        if (client.Kind == ClientKind.Consumer) return false;
        var name = Comparable(client.Name);
        if (name.Length == 0) return false;
        string? cursor = null;
        do
        {
            var page = await consumers.ListAsync(tenant, null, PagedReader.MaxPageSize, cursor, ct);
            if (page.Items.Any(c => c.Kind is null && Comparable(c.Name) == name)) return true;
            cursor = page.NextCursor;
        } while (cursor is not null);
        return false;
    }

    /// <summary>Compatibility-folded (full-width letters become plain), lower case, no accents, no whitespace.</summary>
    public static string Comparable(string name) =>
        string.Concat(KeyText.Normalize(name.Normalize(NormalizationForm.FormKC)).Where(c => !char.IsWhiteSpace(c)));
}
