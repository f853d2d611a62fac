namespace Fractal.Functions.Maintenance.Domain.Activity;

/// <summary>
/// One thing that happened to a record, as the activity feed shows it (shift handover: "what changed since 07:00").
/// Work-order events carry the action of the order's history entry (<c>created</c>, <c>status</c>, <c>note</c>,
/// <c>task_completed</c>, <c>resource_added</c>, <c>task_added</c>, <c>out_of_service</c>, <c>reassigned</c>,
/// <c>rescheduled</c>); the others are <see cref="MeterReading"/> and <see cref="RequestCreated"/>.
/// </summary>
/// <param name="Record">The record it happened to: a folio (OT-12), a request id (SR-3) or a meter id.</param>
/// <param name="Responsible">The work order's responsible person at the time, when there is one.</param>
/// <param name="Text">What happened, in a line (a note's text, the task done, the part used, the reading).</param>
public sealed record ActivityEvent(
    DateTimeOffset At,
    string Kind,
    string Record,
    string UserId,
    string Text,
    string? AssetId = null,
    string? AssetName = null,
    string? AssetPath = null,
    string? Responsible = null,
    string? From = null,
    string? To = null)
{
    public const string MeterReading = "meter_reading";
    public const string RequestCreated = "request_created";

    /// <summary>Longest <see cref="Text"/> kept (a long note is cut; get_work_order has it whole).</summary>
    public const int MaxText = 300;

    public static string Cut(string text) => text.Length <= MaxText ? text : text[..(MaxText - 1)] + "…";
}

/// <summary>
/// What the feed is asked for: an asset or location subtree (the site = the plant), a person (who did it, or who is
/// responsible for the work order), a window [From, To); newest first.
/// </summary>
public sealed record ActivityQuery(string? AssetPath = null, string? Person = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Which sources the caller may read (each needs its own read permission).</summary>
[Flags]
public enum ActivitySources
{
    None = 0,
    WorkOrders = 1,
    Meters = 2,
    Requests = 4,
    All = WorkOrders | Meters | Requests,
}
