using Marten;
using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>Tasks from the task list, and AuditEvent and Provenance from the audit trail, read back through /fhir.</summary>
[Collection(ApiCollection.Name)]
public class FhirRecordTests(AppFixture app) : FhirTest(app)
{
    [Fact]
    public async Task an_open_lab_task_reads_as_a_fhir_task_about_the_patient_and_the_ordered_test()
    {
        var encounter = await InConsult();
        var (_, items) = await Settled(() => LabOrder(encounter, "GLU"));
        var patient = await PatientOf(encounter);

        var found = await Search(Nurse, $"/fhir/Task?patient=Patient/{patient}&status=requested");
        var task = Only<R4.Task>(found);
        task.For.Reference.ShouldBe($"Patient/{patient}");
        task.Focus.Reference.ShouldBe($"ServiceRequest/{items[0]}");
        task.Status.ShouldBe(R4.Task.TaskStatus.Requested);
        await ReferencesResolve(Doctor, await Fhir<R4.Task>(Nurse, $"/fhir/Task/{task.Id}"));
        (await Fhir<R4.Bundle>(Nurse, $"/fhir/Task/{task.Id}/_history")).Entry.ShouldHaveSingleItem();
        (await Search(Nurse, $"/fhir/Task?patient={patient}&status=completed")).Entry.ShouldBeEmpty();
        await Fhir<R4.OperationOutcome>(Nurse, "/fhir/Task?status=open", 400);
        await Fhir<R4.OperationOutcome>(As("nurse", "nina", "clinic-2"), $"/fhir/Task/{task.Id}", 404);
        await Fhir<R4.OperationOutcome>(Reception, $"/fhir/Task/{task.Id}", 403);
    }

    [Fact]
    public async Task who_registered_and_changed_a_patient_reads_as_audit_events_and_provenance_of_each_version()
    {
        var patient = await TestData.RegisterPatient(Reception);
        await Reception.Post($"/api/patients/{patient}/demographics", new { fullName = "Amina Okafor-Eze", reason = "Married" }, 200);
        await AuditTrailHolds(2);
        await using var session = App.Store.QuerySession(Tenant);
        var entries = await session.Query<global::Encounters.Audit.AuditEntry>().Where(a => a.StreamId == patient).OrderBy(a => a.StreamVersion).ToListAsync();

        var audit = await Fhir<R4.AuditEvent>(Auditor, $"/fhir/AuditEvent/{entries[1].Id}");
        audit.Action.ShouldBe(R4.AuditEvent.AuditEventAction.U);
        audit.Agent.ShouldHaveSingleItem().Who.Identifier.Value.ShouldBe("rita");
        audit.Entity.Select(e => e.What.Reference).ShouldContain($"Patient/{patient}");
        await ReferencesResolve(Auditor, audit);

        var provenance = await Fhir<R4.Provenance>(Auditor, $"/fhir/Provenance/{entries[1].Id}");
        provenance.Target.ShouldHaveSingleItem().Reference.ShouldBe($"Patient/{patient}/_history/2");
        await ReferencesResolve(Auditor, provenance);
        (await Fhir<R4.Bundle>(Auditor, $"/fhir/Provenance/{entries[0].Id}/_history")).Entry.ShouldHaveSingleItem();

        await Fhir<R4.OperationOutcome>(Doctor, $"/fhir/AuditEvent/{entries[0].Id}", 403);
        await Fhir<R4.OperationOutcome>(As("auditor", "aud-ada", "clinic-2"), $"/fhir/Provenance/{entries[0].Id}", 404);
        await Fhir<R4.OperationOutcome>(Auditor, $"/fhir/AuditEvent/{entries[0].Id}/_history/2", 404);
    }
}
