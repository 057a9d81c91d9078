using System.Collections.Concurrent;
using Encounters.Audit;
using Encounters.Lab;
using JasperFx.Events;
using JasperFx.Events.Projections;

namespace Encounters.Imaging;

/// <summary>Turnaround in minutes for one procedure at one priority: each stage, and requested → first release overall.</summary>
public record ImagingTurnaroundRow(string ProcedureCode, OrderPriority Priority, StageTimes RequestedToPerformed, StageTimes PerformedToReported,
    StageTimes ReportedToVerified, StageTimes VerifiedToReleased, StageTimes RequestedToReleased);

public static class ImagingTurnaroundEndpoint
{
    /// <summary>A window of at most a year: at most 366 days of tallies per procedure and priority.</summary>
    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Requests.ClinicalDates.Window(from, to, required: true));

    /// <summary>
    /// Median and 90th percentile imaging turnaround per procedure and priority, for requests placed in [from, to) widened to
    /// whole hours (UTC), read from the tallies kept with the requests' events (<see cref="ImagingTurnaroundRollup"/>).
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/imaging/tat", Name = "GetImagingTurnaround"), Authorize(Actions.ReadImagingWorklist)]
    public static async Task<IReadOnlyList<ImagingTurnaroundRow>> Get(DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var tallies = await TurnaroundTally.InWindowAsync(session, ImagingTurnaroundRollup.Name, scope.FacilityId, from!.Value, to!.Value, ct);
        return TurnaroundTally.Rows(tallies, ImagingTurnaroundRollup.Stages)
            .Select(r => new ImagingTurnaroundRow(r.Code, r.Priority, r.Stages[0].Times(), r.Stages[1].Times(), r.Stages[2].Times(),
                r.Stages[3].Times(), r.Stages[4].Times()))
            .ToList();
    }
}

/// <summary>Imaging's turnaround tallies, from the request's read model as its own Create/Apply methods fold it.</summary>
public sealed class ImagingTurnaroundRollup : TurnaroundRollup<ImagingView>
{
    public const string Name = "imaging";
    public const int Stages = 5;
    private static readonly ConcurrentDictionary<Type, Action<ImagingView, IEvent>?> Appliers = new();

    protected override string Kind => Name;

    protected override Guid? Subject(object data) => (data as IImagingEvent)?.RequestId;

    protected override ImagingView? Fold(ImagingView? view, IEvent e)
    {
        if (e is IEvent<ImagingRequested> requested) return view ?? ImagingView.Create(requested);
        if (view is not null) Appliers.GetOrAdd(e.EventType, Applier)?.Invoke(view, e);
        return view;
    }

    /// <summary>The read model's own <c>Apply(IEvent&lt;T&gt;)</c>, so the tallies can never count differently from what it shows.</summary>
    private static Action<ImagingView, IEvent>? Applier(Type eventType) =>
        typeof(ImagingView).GetMethod("Apply", [typeof(IEvent<>).MakeGenericType(eventType)]) is { } apply
            ? (view, e) => apply.Invoke(view, [e])
            : null;

    protected override IEnumerable<TurnaroundSample> Samples(ImagingView v) => v.Study == StudyState.Cancelled ? [] :
    [
        new TurnaroundSample(v.Id, v.FacilityId, v.RequestedAt, v.ProcedureCode, v.Priority,
        [
            TurnaroundSample.Between(v.RequestedAt, v.PerformedAt), TurnaroundSample.Between(v.PerformedAt, v.FirstReportedAt),
            TurnaroundSample.Between(v.FirstReportedAt, v.FirstVerifiedAt), TurnaroundSample.Between(v.FirstVerifiedAt, v.FirstReleasedAt),
            TurnaroundSample.Between(v.RequestedAt, v.FirstReleasedAt),
        ]),
    ];

    public static void Configure(StoreOptions opts) => opts.Projections.Add(new ImagingTurnaroundRollup(), ProjectionLifecycle.Inline);
}
