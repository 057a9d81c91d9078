using JasperFx.Events.Projections;
using Marten.Events.Aggregation;

namespace Encounters.Encounters;

/// <summary>Publishes each visit's latest assessed diagnoses (<see cref="VisitDiagnoses"/>) for the problem list.</summary>
public sealed partial class VisitDiagnosesProjection : SingleStreamProjection<VisitDiagnoses, Guid>
{
    public static VisitDiagnoses Create(EncounterPlanned e) => new() { Id = e.EncounterId, PatientId = e.PatientId, FacilityId = e.FacilityId };

    public void Apply(ClinicalNoteRecorded e, VisitDiagnoses visit) => Assessed(visit, e.Section, e.Content);

    public void Apply(ClinicalNoteAmended e, VisitDiagnoses visit) => Assessed(visit, e.Section, e.Content);

    private static void Assessed(VisitDiagnoses visit, NoteSection section, NoteContent content)
    {
        if (section == NoteSection.Assessment) visit.Diagnoses = content.Diagnoses ?? [];
    }

    public static void Configure(StoreOptions opts) => opts.Projections.Add<VisitDiagnosesProjection>(ProjectionLifecycle.Inline);
}
