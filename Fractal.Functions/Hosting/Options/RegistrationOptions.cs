namespace Fractal.Functions.Hosting.Options;

/// <summary>
/// The optional ways a client may introduce itself besides a consumer created by an admin. Section
/// <c>Registration</c>. Each is off by default: turning one on lets clients nobody here created ask people
/// for access (tenant admins still allow or block them for their account).
/// </summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary><c>Registration:DynamicClientsEnabled</c>: RFC 7591 dynamic client registration at <c>POST /oauth/register</c>.</summary>
    public bool DynamicClientsEnabled { get; set; }

    /// <summary><c>Registration:RegistrationsPerIpPerHour</c>: registrations one client IP may make per hour (per instance).</summary>
    public int RegistrationsPerIpPerHour { get; set; } = 10;

    /// <summary><c>Registration:MetadataDocumentsEnabled</c>: an https <c>client_id</c> names a client ID metadata document (MCP 2025-11-25).</summary>
    public bool MetadataDocumentsEnabled { get; set; }
}
