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
    public async Task a_tasks_history_is_its_events_claimed_given_back_claimed_again_and_closed_by_the_collection()
    {
        var encounter = await InConsult();
        var (order, items) = await Settled(() => LabOrder(encounter, "GLU"));
        var patient = (await Doctor.Get($"/api/encounters/{encounter}", 200))["patientId"];
        var task = Only<R4.Task>(await Search(Nurse, $"/fhir/Task?patient={patient}&status=requested"));
        await Settled(async () =>
        {
            await Nurse.Post($"/api/tasks/{task.Id}/claim", null, 200);
            await Nurse.Post($"/api/tasks/{task.Id}/release", null, 200);
            await As("nurse", "nora").Post($"/api/tasks/{task.Id}/claim", null, 200);
            await Collect(order, items[0]);
        });

        var closed = await Fhir<R4.Task>(Nurse, $"/fhir/Task/{task.Id}");
        (closed.Status, closed.Meta.VersionId).ShouldBe((R4.Task.TaskStatus.Completed, "5"));
        var history = await Fhir<R4.Bundle>(Nurse, $"/fhir/Task/{task.Id}/_history");
        history.Entry.Select(e => (e.Resource.Meta.VersionId, ((R4.Task)e.Resource).Status, ((R4.Task)e.Resource).Owner?.Identifier.Value)).ShouldBe([
            ("5", R4.Task.TaskStatus.Completed, "nora"), ("4", R4.Task.TaskStatus.InProgress, "nora"), ("3", R4.Task.TaskStatus.Requested, null),
            ("2", R4.Task.TaskStatus.InProgress, "nina"), ("1", R4.Task.TaskStatus.Requested, null),
        ]);
        history.Entry.Select(e => e.Resource.Meta.LastUpdated).ShouldBeInOrder(SortDirection.Descending);
        (await Fhir<R4.Task>(Nurse, $"/fhir/Task/{task.Id}/_history/2")).Owner.Identifier.Value.ShouldBe("nina");
        var page = await Fhir<R4.Bundle>(Nurse, $"/fhir/Task/{task.Id}/_history?_count=2&_page=3");
        (page.Total, page.Entry.Single().Resource.Meta.VersionId, page.NextLink).ShouldBe((5, "1", null));
        await Fhir<R4.OperationOutcome>(Nurse, $"/fhir/Task/{task.Id}/_history/6", 404);
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
