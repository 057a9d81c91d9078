using System.Text.Json.Serialization;
using Encounters.Encounters;
using JasperFx.Events;
using JasperFx.Events.Projections;

namespace Encounters.Lab;

[JsonConverter(typeof(JsonStringEnumConverter<RejectionReason>))]
public enum RejectionReason
{
    [JsonStringEnumMemberName("hemolyzed")] Hemolyzed,
    [JsonStringEnumMemberName("clotted")] Clotted,
    [JsonStringEnumMemberName("insufficient")] Insufficient,
    [JsonStringEnumMemberName("mislabeled")] Mislabeled,
    [JsonStringEnumMemberName("contaminated")] Contaminated,
    [JsonStringEnumMemberName("other")] Other,
}

[JsonConverter(typeof(JsonStringEnumConverter<SampleStatus>))]
public enum SampleStatus
{
    [JsonStringEnumMemberName("collected")] Collected,
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("rejected")] Rejected,
}

// Events of the sample stream (a FHIR Specimen).
public record SpecimenCollected(Guid SampleId, Guid OrderId, Guid EncounterId, Guid PatientId, string FacilityId, Guid[] ItemIds,
    string SpecimenType, string Container, string AccessionNumber, string Barcode, DateTimeOffset CollectedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("sample.collected", $"{SpecimenType} specimen collected ({AccessionNumber})");
}

public record SpecimenReceived(Guid SampleId, Guid OrderId, Guid EncounterId, DateTimeOffset ReceivedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("sample.received", "Specimen received in the lab");
}

public record SpecimenRejected(Guid SampleId, Guid OrderId, Guid EncounterId, RejectionReason Reason, string? Note,
    DateTimeOffset RejectedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("sample.rejected", $"Specimen rejected ({ApiText.Of(Reason)}): recollection needed");
}

/// <summary>The sample's write model.</summary>
public sealed partial record Sample(Guid Id, Guid OrderId, Guid EncounterId, string FacilityId, Guid[] ItemIds, string Barcode,
    SampleStatus Status) : Scope.IFacilityScoped
{
    public static string Resource => "Sample";

    public long Version { get; set; }

    public static Sample Create(SpecimenCollected e) =>
        new(e.SampleId, e.OrderId, e.EncounterId, e.FacilityId, e.ItemIds, e.Barcode, SampleStatus.Collected);

    public Sample Apply(SpecimenReceived _) => this with { Status = SampleStatus.Received };
    public Sample Apply(SpecimenRejected _) => this with { Status = SampleStatus.Rejected };
}

/// <summary>The sample as lab staff read it; kept inline so a scanned barcode finds it at once.</summary>
public sealed partial class SampleView : Scope.IPatientChart
{
    public static string Resource => "Sample";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public Guid OrderId { get; set; }
    public Guid EncounterId { get; set; }
    public Guid PatientId { get; set; }
    public Guid[] ItemIds { get; set; } = [];
    public string SpecimenType { get; set; } = "";
    public string Container { get; set; } = "";
    public string AccessionNumber { get; set; } = "";
    public string Barcode { get; set; } = "";
    public SampleStatus Status { get; set; }
    public DateTimeOffset CollectedAt { get; set; }
    public Actor? CollectedBy { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public Actor? ReceivedBy { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    public RejectionReason? RejectionReason { get; set; }
    public string? RejectionNote { get; set; }

    public static SampleView Create(IEvent<SpecimenCollected> e) => new()
    {
        Id = e.Data.SampleId, FacilityId = e.Data.FacilityId, OrderId = e.Data.OrderId, EncounterId = e.Data.EncounterId,
        PatientId = e.Data.PatientId, ItemIds = e.Data.ItemIds, SpecimenType = e.Data.SpecimenType, Container = e.Data.Container,
        AccessionNumber = e.Data.AccessionNumber, Barcode = e.Data.Barcode, Status = SampleStatus.Collected,
        CollectedAt = e.Data.CollectedAt, CollectedBy = Actor.Of(e),
    };

    public void Apply(IEvent<SpecimenReceived> e)
    {
        Status = SampleStatus.Received;
        ReceivedAt = e.Data.ReceivedAt;
        ReceivedBy = Actor.Of(e);
    }

    public void Apply(SpecimenRejected e)
    {
        Status = SampleStatus.Rejected;
        RejectedAt = e.RejectedAt;
        RejectionReason = e.Reason;
        RejectionNote = e.Note;
    }
}

public static class SampleSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(SpecimenCollected), typeof(SpecimenReceived), typeof(SpecimenRejected)]);
        opts.Projections.Snapshot<SampleView>(SnapshotLifecycle.Inline);
        IndexedColumns.Store<SampleView>(opts, x => x.Barcode, x => x.OrderId);
        opts.Schema.For<SampleView>().Index(x => x.Barcode).Index(x => x.OrderId);
    }
}

/// <summary>What a sample command answers.</summary>
public record SampleResponse(Guid Id, Guid OrderId, Guid[] ItemIds, string AccessionNumber, string Barcode, SampleStatus Status,
    long Version) : Scope.IVersioned
{
    // The barcode is the accession number, in Code 128-safe text.
    public static SampleResponse From(Sample s, long version) =>
        new(s.Id, s.OrderId, s.ItemIds, s.Barcode, s.Barcode, s.Status, version);
}
