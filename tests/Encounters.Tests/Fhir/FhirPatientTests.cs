using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

[Collection(ApiCollection.Name)]
public class FhirPatientTests(AppFixture app) : FhirTest(app)
{
    [Fact]
    public async Task a_patient_reads_with_its_mrn_its_versions_come_from_its_events_and_search_finds_it()
    {
        var id = await TestData.RegisterPatient(Reception, "Ngozi Adeyemi");
        await Reception.Post($"/api/patients/{id}/demographics", new { fullName = "Ngozi Adeyemi-Bello", reason = "Married" }, 200);

        var patient = await Fhir<R4.Patient>(Doctor, $"/fhir/Patient/{id}");
        patient.Id.ShouldBe(id.ToString());
        patient.Meta.VersionId.ShouldBe("2");
        patient.Name.ShouldHaveSingleItem().Text.ShouldBe("Ngozi Adeyemi-Bello");
        var mrn = patient.Identifier.ShouldHaveSingleItem();
        mrn.System.ShouldBe($"urn:encounters:{Tenant}:mrn");

        (await Fhir<R4.Patient>(Doctor, $"/fhir/Patient/{id}/_history/1")).Name[0].Text.ShouldBe("Ngozi Adeyemi");
        var history = await Fhir<R4.Bundle>(Doctor, $"/fhir/Patient/{id}/_history");
        history.Type.ShouldBe(R4.Bundle.BundleType.History);
        history.Entry.Select(e => e.Resource.Meta.VersionId).ShouldBe(["2", "1"]);

        foreach (var query in new[] { $"identifier={mrn.System}|{mrn.Value}", $"identifier={mrn.Value}", "name=adeyemi", $"birthdate={patient.BirthDate}" })
            Only<R4.Patient>(await Search(Doctor, $"/fhir/Patient?{query}")).Id.ShouldBe(id.ToString(), query);
        (await Search(Doctor, "/fhir/Patient?identifier=urn:other|" + mrn.Value)).Entry.ShouldBeEmpty();
    }

    [Fact]
    public async Task search_pages_with_next_links_and_bad_input_is_an_operation_outcome()
    {
        foreach (var name in new[] { "Ada One", "Ada Two", "Ada Three" }) await TestData.RegisterPatient(Reception, name);
        (await Search(Doctor, "/fhir/Patient?name=ada&_count=2")).Total.ShouldBeNull(); // counting every match is asked for
        var first = await Search(Doctor, "/fhir/Patient?name=ada&_count=2&_total=accurate");
        first.Total.ShouldBe(3);
        first.Entry.Count.ShouldBe(2);
        var next = new Uri(first.Link.Single(l => l.Relation == "next").Url);
        var second = await Search(Doctor, next.PathAndQuery);
        second.Entry.Count.ShouldBe(1);
        second.Link.ShouldNotContain(l => l.Relation == "next");

        foreach (var bad in new[] { "_count=100000", "_count=0", "_count=abc", "_cursor=nope", "_total=most", "birthdate=2024-02-30", "birthdate=9999", "gender=female", "birthdate=xx2020" })
            await Fhir<R4.OperationOutcome>(Doctor, $"/fhir/Patient?{bad}", 400);
        await Fhir<R4.OperationOutcome>(Doctor, $"/fhir/Patient/{Guid.NewGuid()}", 404);
        await Fhir<R4.OperationOutcome>(Doctor, "/fhir/Patient/not-an-id", 404);
    }

    [Fact]
    public async Task another_facility_sees_no_such_patient_and_a_role_without_chart_access_is_refused()
    {
        var id = await TestData.RegisterPatient(Reception);
        await Fhir<R4.OperationOutcome>(As("clinician", "dr-elsewhere", "clinic-2"), $"/fhir/Patient/{id}", 404);
        await Fhir<R4.OperationOutcome>(As("clinician", "dr-elsewhere", "clinic-2"), $"/fhir/Patient/{id}/_history", 404);
        (await Search(As("clinician", "dr-elsewhere", "clinic-2"), "/fhir/Patient")).Entry.ShouldBeEmpty();
        await Fhir<R4.OperationOutcome>(As("billing_officer", "bill-1"), $"/fhir/Patient/{id}", 403);
        await Fhir<R4.OperationOutcome>(As("billing_officer", "bill-1"), "/fhir/Patient", 403);
    }
}
