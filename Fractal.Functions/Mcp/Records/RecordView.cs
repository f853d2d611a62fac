using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Mcp.Records;

/// <summary>
/// One record's main fields, as both <c>fetch</c> (text + metadata) and the record page show them. Field and
/// section keys name entries <c>record.{key}</c> of the page texts, so both read the same labels.
/// </summary>
public sealed record RecordView(SearchKind Kind, string Id, string Title, IReadOnlyList<RecordField> Fields, IReadOnlyList<RecordSection> Sections)
{
    public string Reference => RecordKinds.Reference(Kind, Id);
}

public sealed record RecordField(string Key, string Value);

/// <summary>A list under a heading: tasks, notes, stock per warehouse, plan tasks.</summary>
public sealed record RecordSection(string Key, IReadOnlyList<string> Lines);
