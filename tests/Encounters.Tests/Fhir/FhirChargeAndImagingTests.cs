using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>Billing's charges and imaging's studies, read back through /fhir as ChargeItem and ImagingStudy.</summary>
[Collection(ApiCollection.Name)]
public class FhirChargeAndImagingTests(AppFixture app) : FhirTest(app)
{
    private Caller Billing => As("billing_officer", "bo-bea");
    private Caller Radiographer => As("radiographer", "rg-rose");

    [Fact]
    public async Task a_chest_xray_reads_as_an_imaging_study_whose_history_is_its_request_stream()
    {
        var encounter = await InConsult();
        var patient = await PatientOf(encounter);
        var request = (await Doctor.Post("/api/imaging",
            new { encounterId = encounter, procedureCode = "CXR-PA", priority = "routine", clinicalIndication = "Cough for 3 weeks." }, 201)).Id;

        var waiting = await Fhir<R4.ImagingStudy>(Doctor, $"/fhir/ImagingStudy/{request}");
        waiting.Status.ShouldBe(R4.ImagingStudy.ImagingStudyStatus.Registered);
        waiting.Meta.VersionId.ShouldBe("1");
        waiting.Modality.ShouldHaveSingleItem().Code.ShouldBe("DX");

        await Radiographer.Post($"/api/imaging/{request}/perform", new
        {
            performedAt = Now, technique = "PA erect", studyInstanceUid = "1.2.826.0.1.3680043.2.1125.9", accessionNumber = "XR-0009",
        }, 200);
        var study = await Fhir<R4.ImagingStudy>(Doctor, $"/fhir/ImagingStudy/{request}");
        (study.Status, study.Meta.VersionId).ShouldBe((R4.ImagingStudy.ImagingStudyStatus.Available, "2"));
        study.Identifier.Select(i => i.Value).ShouldBe(["urn:oid:1.2.826.0.1.3680043.2.1125.9", "XR-0009"]);
        study.Started.ShouldNotBeNull();
        await ReferencesResolve(Doctor, study);

        (await Fhir<R4.ImagingStudy>(Doctor, $"/fhir/ImagingStudy/{request}/_history/1")).Status.ShouldBe(R4.ImagingStudy.ImagingStudyStatus.Registered);
        var history = await Fhir<R4.Bundle>(Doctor, $"/fhir/ImagingStudy/{request}/_history");
        history.Entry.Select(e => e.Resource.Meta.VersionId).ShouldBe(["2", "1"]);

        Only<R4.ImagingStudy>(await Search(Doctor, $"/fhir/ImagingStudy?patient=Patient/{patient}")).Id.ShouldBe(request.ToString());
        Only<R4.ImagingStudy>(await Search(Doctor, $"/fhir/ImagingStudy?encounter={encounter}&status=available")).Id.ShouldBe(request.ToString());
        (await Search(Doctor, $"/fhir/ImagingStudy?patient={patient}&status=cancelled")).Entry.ShouldBeEmpty();
        await Fhir<R4.OperationOutcome>(Doctor, $"/fhir/ImagingStudy?status=available", 400);

        await Fhir<R4.OperationOutcome>(Tech, $"/fhir/ImagingStudy/{request}", 403);
        await Fhir<R4.OperationOutcome>(As("clinician", "dr-elsewhere", "clinic-2"), $"/fhir/ImagingStudy/{request}", 404);
    }

    [Fact]
    public async Task a_consultation_charge_reads_as_a_charge_item_billable_then_billed_once_the_invoice_is_issued()
    {
        await Admin.Post("/api/billing/prices", new { category = "consultation", code = "outpatient", description = "Outpatient consultation",
            amount = 25.00m, currency = "GHS", validFrom = DateTime.UtcNow.ToString("yyyy-MM-dd") }, 200);
        // The consultation's charge arrives as a durable message: settled, it has been captured.
        var encounter = await Settled(() => InConsult());
        var patient = await PatientOf(encounter);
        var charge = (await Billing.Get($"/api/encounters/{encounter}/invoice", 200)).As<InvoiceBody>().Charges.Single().Id.ToString();

        var billable = await Fhir<R4.ChargeItem>(Billing, $"/fhir/ChargeItem/{charge}");
        billable.Status.ShouldBe(R4.ChargeItem.ChargeItemStatus.Billable);
        billable.Code.Coding[0].Code.ShouldBe("outpatient");
        (billable.PriceOverride.Value, billable.PriceOverride.Currency).ShouldBe((25.00m, R4.Money.Currencies.GHS));
        billable.Service.ShouldHaveSingleItem().Reference.ShouldBe($"Encounter/{encounter}");
        await ReferencesResolve(Doctor, billable);

        await Billing.Post($"/api/encounters/{encounter}/invoice/issue", null, 200);
        var billed = await Fhir<R4.ChargeItem>(Billing, $"/fhir/ChargeItem/{charge}");
        billed.Status.ShouldBe(R4.ChargeItem.ChargeItemStatus.Billed);
        // The charge exists from the invoice version that captured it: its history starts there, never before.
        var history = await Fhir<R4.Bundle>(Billing, $"/fhir/ChargeItem/{charge}/_history");
        history.Entry.Select(e => e.Resource.Meta.VersionId).ShouldBe([billed.Meta.VersionId, billable.Meta.VersionId]);
        history.Total.ShouldBe(2);
        history.Entry[^1].Request.Method.ShouldBe(R4.Bundle.HTTPVerb.POST);
        (await Fhir<R4.ChargeItem>(Billing, $"/fhir/ChargeItem/{charge}/_history/{billable.Meta.VersionId}")).Status
            .ShouldBe(R4.ChargeItem.ChargeItemStatus.Billable);
        await Fhir<R4.OperationOutcome>(Billing, $"/fhir/ChargeItem/{charge}/_history/1", 404);

        Only<R4.ChargeItem>(await Search(Billing, $"/fhir/ChargeItem?patient=Patient/{patient}")).Id.ShouldBe(charge);
        Only<R4.ChargeItem>(await Search(Billing, $"/fhir/ChargeItem?context=Encounter/{encounter}&status=billed")).Id.ShouldBe(charge);
        (await Search(Billing, $"/fhir/ChargeItem?patient={patient}&status=aborted")).Entry.ShouldBeEmpty();
        await Fhir<R4.OperationOutcome>(Billing, "/fhir/ChargeItem?status=billed", 400);

        await Fhir<R4.OperationOutcome>(Nurse, $"/fhir/ChargeItem/{charge}", 403);
        await Fhir<R4.OperationOutcome>(As("billing_officer", "bo-elsewhere", "clinic-2"), $"/fhir/ChargeItem/{charge}", 404);
    }
}
