namespace Fractal.Functions.Maintenance.Domain.People;

/// <summary>
/// Someone work orders, requests and readings refer to by id (<c>tec-05</c>). <see cref="Assignable"/> people can be
/// made responsible for a work order (the technicians); others (supervisor, planner, requesters) are only named.
/// </summary>
public sealed record Person(string Id, string Name, bool Assignable = true);

/// <summary>A person's open work: open = in process or in review; overdue = in process past the calculated due date.</summary>
public sealed record PersonWorkload(string Id, string Name, int Open, int Overdue, int DueThisWeek);
