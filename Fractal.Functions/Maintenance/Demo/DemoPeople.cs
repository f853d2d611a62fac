using Fractal.Functions.Maintenance.Domain.People;

namespace Fractal.Functions.Maintenance.Demo;

/// <summary>
/// The demo plant's people list: the eight technicians (assignable, the crew of the backlog figure) and, named but not
/// assignable, the supervisor, the planner and the requesters the generator uses as ids.
/// </summary>
internal static class DemoPeople
{
    public static IReadOnlyList<Person> All { get; } =
    [
        .. DemoCatalog.Technicians.Select(t => new Person(t.Id, t.Name)),
        new(DemoCatalog.Supervisor, "Rodrigo Fuentes", Assignable: false),
        new(DemoCatalog.Planner, "Carolina Vega", Assignable: false),
        new("op-linea1", "Operador Línea 1", Assignable: false),
        new("op-linea2", "Operador Línea 2", Assignable: false),
        new("op-bodega", "Operador Bodega", Assignable: false),
        new("jefe-turno", "Jefe de turno", Assignable: false),
        new("calidad", "Control de calidad", Assignable: false),
        new("seguridad", "Prevención de riesgos", Assignable: false),
    ];

    /// <summary>
    /// How far back the loaded activity feed reaches from the demo's last event. The feed is written by every change as
    /// it happens; for the year of generated history the loader writes only this window (7 rows per event: the whole
    /// year would triple the load), which covers shift handovers and weekly reviews.
    /// </summary>
    public static readonly TimeSpan FeedWindow = TimeSpan.FromDays(30);
}
