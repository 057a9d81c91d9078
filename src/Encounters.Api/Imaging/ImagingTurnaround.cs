using Encounters.Audit;
using Encounters.Lab;

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
    /// whole hours (UTC), read from the tallies the async daemon keeps (<see cref="ImagingTurnaroundRollup"/>).
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/imaging/tat", Name = "GetImagingTurnaround"), Authorize(Actions.ReadImagingWorklist)]
    public static async Task<IReadOnlyList<ImagingTurnaroundRow>> Get(DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var tallies = await TurnaroundTally.InWindowAsync(session, ImagingTurnaroundRollup.KindName, scope.FacilityId, from!.Value, to!.Value, ct);
        return TurnaroundTally.Rows(tallies, ImagingTurnaroundRollup.Stages)
            .Select(r => new ImagingTurnaroundRow(r.Code, r.Priority, r.Stages[0].Times(), r.Stages[1].Times(), r.Stages[2].Times(),
                r.Stages[3].Times(), r.Stages[4].Times()))
            .ToList();
    }
}

/// <summary>Imaging's turnaround tallies, from each request's read model.</summary>
public sealed class ImagingTurnaroundRollup() : TurnaroundRollup<ImagingView, IImagingEvent>("ImagingTurnaround")
{
    public const string KindName = "imaging";
    public const int Stages = 5;

    protected override string Kind => KindName;

    protected override Guid IdOf(ImagingView view) => view.Id;

    protected override Guid? Subject(object data) => (data as IImagingEvent)?.RequestId;

    protected override IEnumerable<TurnaroundSample> Samples(ImagingView v) => v.Study == StudyState.Cancelled ? [] :
    [
        new TurnaroundSample(v.Id, v.FacilityId, v.RequestedAt, v.ProcedureCode, v.Priority,
        [
            TurnaroundSample.Between(v.RequestedAt, v.PerformedAt), TurnaroundSample.Between(v.PerformedAt, v.FirstReportedAt),
            TurnaroundSample.Between(v.FirstReportedAt, v.FirstVerifiedAt), TurnaroundSample.Between(v.FirstVerifiedAt, v.FirstReleasedAt),
            TurnaroundSample.Between(v.RequestedAt, v.FirstReleasedAt),
        ]),
    ];

    public static void Configure(StoreOptions opts) => Register(opts, new ImagingTurnaroundRollup());
}
