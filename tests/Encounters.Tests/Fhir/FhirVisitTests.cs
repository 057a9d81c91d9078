using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>A visit done through /api, read back through /fhir: the resources a FHIR client expects, linked to each other.</summary>
[Collection(ApiCollection.Name)]
public class FhirVisitTests(AppFixture app) : FhirTest(app)
{
    /// <summary>Vitals, a glucose ordered, collected, received, resulted high, released, then corrected low and released again.</summary>
    private async Task<(Guid Encounter, Guid Item, Guid Sample)> LabVisit()
    {
        var encounter = await InConsult();
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 72, systolicBp = 120, diastolicBp = 80, temperatureC = 37.2m }, 200);
        var (order, items) = await LabOrder(encounter, "GLU");
        var sample = await Received(order, items[0]);
        await EnterResult(items[0], "2345-7", 150m);
        await VerifyAndRelease(items[0]);
        var otherSupervisor = As("lab_supervisor", "sup-sue");
        await otherSupervisor.Post($"/api/lab/results/{items[0]}/correct",
            new { analytes = new[] { new { code = "2345-7", value = 60m } }, reason = "Transcription error" }, 200);
        await VerifyAndRelease(items[0]);
        return (encounter, items[0], sample.Id);
    }

    [Fact]
    public async Task a_lab_visit_reads_back_as_linked_fhir_resources_with_the_original_report_kept()
    {
        var (encounter, item, sample) = await LabVisit();

        var visit = await Fhir<R4.Encounter>(Doctor, $"/fhir/Encounter/{encounter}");
        visit.Status.ShouldBe(R4.Encounter.EncounterStatus.InProgress);
        visit.StatusHistory.Select(s => s.Status).ShouldBe([R4.Encounter.EncounterStatus.Planned, R4.Encounter.EncounterStatus.Arrived,
            R4.Encounter.EncounterStatus.InProgress]);
        await ReferencesResolve(Doctor, visit);

        var observations = (await Search(Doctor, $"/fhir/Observation?encounter=Encounter/{encounter}")).Entry.Select(e => (R4.Observation)e.Resource).ToList();
        var pulse = observations.Single(o => o.Code.Coding[0].Code == "8867-4");
        ((R4.Quantity)pulse.Value).Code.ShouldBe("/min");
        observations.Single(o => o.Code.Coding[0].Code == "85354-9").Component.Select(c => c.Code.Coding[0].Code).ShouldBe(["8480-6", "8462-4"]);
        var glucose = observations.Single(o => o.Code.Coding[0].Code == "2345-7");
        glucose.Status.ShouldBe(R4.ObservationStatus.Corrected);
        ((R4.Quantity)glucose.Value).Value.ShouldBe(60m);
        ((R4.Quantity)glucose.Value).System.ShouldBe("http://unitsofmeasure.org");
        glucose.Interpretation.ShouldHaveSingleItem().Coding[0].Code.ShouldBe("L");
        glucose.ReferenceRange.ShouldHaveSingleItem().Low.ShouldNotBeNull();
        foreach (var observation in observations) await ReferencesResolve(Doctor, await Fhir<R4.Observation>(Doctor, $"/fhir/Observation/{observation.Id}"));
        (await Search(Doctor, $"/fhir/Observation?encounter={encounter}&category=laboratory&code=http://loinc.org|2345-7")).Entry.Count.ShouldBe(1);

        var report = Only<R4.DiagnosticReport>(await Search(Doctor, $"/fhir/DiagnosticReport?encounter={encounter}&status=corrected"));
        report.Id.ShouldBe(item.ToString());
        report.Result.ShouldHaveSingleItem().Reference.ShouldBe($"Observation/{glucose.Id}");
        await ReferencesResolve(Doctor, report);
        var history = await Fhir<R4.Bundle>(Doctor, $"/fhir/DiagnosticReport/{item}/_history");
        var statuses = history.Entry.Select(e => ((R4.DiagnosticReport)e.Resource).Status).ToList();
        statuses.First().ShouldBe(R4.DiagnosticReport.DiagnosticReportStatus.Corrected);
        statuses.ShouldContain(R4.DiagnosticReport.DiagnosticReportStatus.Final);
        statuses.Last().ShouldBe(R4.DiagnosticReport.DiagnosticReportStatus.Preliminary);
        var original = history.Entry.Select(e => e.Resource).OfType<R4.DiagnosticReport>().Last(r => r.Status == R4.DiagnosticReport.DiagnosticReportStatus.Final);
        var originalGlucose = await Fhir<R4.Observation>(Doctor, $"/fhir/Observation/{glucose.Id}/_history/{original.Meta.VersionId}");
        ((R4.Quantity)originalGlucose.Value).Value.ShouldBe(150m);
        originalGlucose.Interpretation[0].Coding[0].Code.ShouldBe("H");

        var request = await Fhir<R4.ServiceRequest>(Doctor, $"/fhir/ServiceRequest/{item}");
        request.Status.ShouldBe(R4.RequestStatus.Active);
        request.Code.Coding[0].Code.ShouldBe("2345-7");
        await ReferencesResolve(Doctor, request);
        Only<R4.ServiceRequest>(await Search(Doctor, $"/fhir/ServiceRequest?patient={visit.Subject.Reference}&status=active")).Id.ShouldBe(item.ToString());

        var specimen = await Fhir<R4.Specimen>(Doctor, $"/fhir/Specimen/{sample}");
        specimen.AccessionIdentifier.System.ShouldBe($"urn:encounters:{Tenant}:accession");
        specimen.ReceivedTime.ShouldNotBeNull();
        await ReferencesResolve(Doctor, specimen);
        (await Fhir<R4.Bundle>(Doctor, $"/fhir/Specimen/{sample}/_history")).Entry.Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_coded_result_reads_as_an_observation_with_a_coded_value_and_its_abnormal_flag()
    {
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, "XPERT");
        await Received(order, items[0]);
        await EnterResult(items[0], new { code = "85362-2", valueCode = "detected" }, new { code = "48176-2", valueCode = "not-detected" });

        var observations = (await Search(Doctor, $"/fhir/Observation?encounter={encounter}&code=85362-2")).Entry.Select(e => (R4.Observation)e.Resource);
        var mtb = observations.ShouldHaveSingleItem();
        mtb.Status.ShouldBe(R4.ObservationStatus.Preliminary);
        var answer = mtb.Value.ShouldBeOfType<R4.CodeableConcept>();
        answer.Coding[0].Code.ShouldBe("detected");
        answer.Text.ShouldBe("MTB detected");
        mtb.Interpretation[0].Coding[0].Code.ShouldBe("A");
        await ReferencesResolve(Doctor, mtb);
    }

    [Fact]
    public async Task the_capability_statement_lists_every_resource_and_search_served()
    {
        var capabilities = await Fhir<R4.CapabilityStatement>(Reception, "/fhir/metadata");
        capabilities.FhirVersion.ShouldBe(R4.FHIRVersion.N4_0_1);
        var resources = capabilities.Rest.Single().Resource.ToDictionary(r => r.Type);
        foreach (var type in new[] { "Patient", "Encounter", "Observation", "DiagnosticReport", "ServiceRequest", "Specimen" })
            resources[type].Interaction.Select(i => i.Code).ShouldContain(R4.CapabilityStatement.TypeRestfulInteraction.Vread, type);
        resources["Patient"].SearchParam.Select(p => p.Name).ShouldBe(["identifier", "name", "birthdate", "phone"], ignoreOrder: true);
        resources["Observation"].SearchParam.Select(p => p.Name).ShouldBe(["patient", "encounter", "code", "category", "date"], ignoreOrder: true);
    }

    [Fact]
    public async Task roles_and_facilities_see_only_what_the_rest_of_the_api_lets_them()
    {
        var (encounter, item, _) = await LabVisit();
        var elsewhere = As("clinician", "dr-elsewhere", "clinic-2");
        await Fhir<R4.OperationOutcome>(elsewhere, $"/fhir/DiagnosticReport/{item}", 404);
        await Fhir<R4.OperationOutcome>(elsewhere, $"/fhir/Encounter/{encounter}/_history/1", 404);
        (await Search(elsewhere, $"/fhir/Observation?encounter={encounter}")).Entry.ShouldBeEmpty();
        await Fhir<R4.OperationOutcome>(Reception, $"/fhir/DiagnosticReport/{item}", 403);
        await Fhir<R4.OperationOutcome>(Reception, $"/fhir/Observation?encounter={encounter}", 403);

        // A technician reads lab observations, but vital signs are triage data their role does not show.
        var observations = (await Search(Tech, $"/fhir/Observation?encounter={encounter}")).Entry.Select(e => (R4.Observation)e.Resource).ToList();
        observations.ShouldAllBe(o => o.Category[0].Coding[0].Code == "laboratory");
        var pulse = Only<R4.Observation>(await Search(Nurse, $"/fhir/Observation?encounter={encounter}&code=8867-4"));
        await Fhir<R4.OperationOutcome>(Tech, $"/fhir/Observation/{pulse.Id}", 403);
        await Fhir<R4.OperationOutcome>(Doctor, "/fhir/Observation", 400);
    }
}
