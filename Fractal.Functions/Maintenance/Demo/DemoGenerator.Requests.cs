using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Demo;

internal sealed partial class DemoGenerator
{
    /// <summary>
    /// Requests: most failures and small jobs were reported by someone first (the order follows the
    /// request's life); others were resolved on the spot, rejected, cancelled, or are still waiting.
    /// </summary>
    private void GenerateRequests()
    {
        foreach (var order in _orders.Where(o => o.Reported && o.Status != WorkOrderStatus.Cancelled && _rng.NextDouble() < 0.8).ToList())
        {
            var request = new SimRequest
            {
                Title = order.Title, Description = order.Description, AssetId = order.AssetId, Requester = Pick(DemoCatalog.Requesters),
                Urgent = order.Priority == 1, CreatedAt = order.CreatedAt.AddMinutes(-_rng.Next(3, 9)), WorkOrder = order,
            };
            request.Changes.Add((order.CreatedAt, DemoCatalog.Supervisor, RequestStatus.WorkOrderInProcess, null));
            if (order.Status == WorkOrderStatus.Completed)
                request.Changes.Add((order.CompletedAt!.Value, DemoCatalog.Supervisor, RequestStatus.ResolvedWithWorkOrder, null));
            _requests.Add(request);
        }

        (RequestStatus Final, int Count, int WithinDays)[] others =
            [(RequestStatus.ResolvedWithoutWorkOrder, 35, 360), (RequestStatus.Rejected, 14, 360), (RequestStatus.Cancelled, 10, 360), (RequestStatus.Open, 12, 14), (RequestStatus.InProcess, 9, 30)];
        foreach (var (final, count, within) in others)
        {
            for (var i = 0; i < count; i++)
            {
                var asset = Pick(DemoCatalog.Equipment);
                var created = _ref.AddMinutes(-_rng.Next(60 * 24, within * 24 * 60));
                var request = new SimRequest
                {
                    Title = $"{Pick(RequestTopics)} - {asset.Name}", AssetId = asset.Id, Requester = Pick(DemoCatalog.Requesters),
                    Urgent = _rng.NextDouble() < 0.1, CreatedAt = created,
                };
                var reviewed = Whole(created.AddHours(Between(1, 20)));
                switch (final)
                {
                    case RequestStatus.InProcess:
                        request.Changes.Add((reviewed, DemoCatalog.Supervisor, RequestStatus.InProcess, null));
                        break;
                    case RequestStatus.ResolvedWithoutWorkOrder:
                        request.Changes.Add((reviewed, DemoCatalog.Supervisor, RequestStatus.InProcess, null));
                        request.Changes.Add((Whole(reviewed.AddHours(Between(1, 48))), Technician(), RequestStatus.ResolvedWithoutWorkOrder, "Se ajustó en terreno; no requirió orden de trabajo."));
                        break;
                    case RequestStatus.Rejected:
                        request.Changes.Add((reviewed, DemoCatalog.Supervisor, RequestStatus.Rejected, Pick(RejectReasons)));
                        break;
                    case RequestStatus.Cancelled:
                        request.Changes.Add((reviewed, request.Requester, RequestStatus.Cancelled, "Ya no es necesario."));
                        break;
                }
                _requests.Add(request);
            }
        }
    }

    private static readonly string[] RequestTopics =
        ["Revisar ruido", "Ajustar velocidad", "Iluminación insuficiente", "Goteo de agua", "Revisar temperatura", "Alarma intermitente", "Puerta no cierra bien", "Limpieza de sensor"];

    private static readonly string[] RejectReasons = ["No corresponde a mantención: es un ajuste de operación.", "Duplicada de otra solicitud.", "Información insuficiente; volver a reportar con detalle."];
}
