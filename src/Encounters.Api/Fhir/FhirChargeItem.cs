using Encounters.Audit;
using Encounters.Billing;
using Encounters.Encounters;
using Hl7.Fhir.Utility;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR ChargeItem: one charge on an encounter's invoice stream (id = the charge's id), as Billing's Invoice folds it. Every
/// version of the invoice since the charge was captured is a version of the charge: issuing the invoice bills it, a withdrawal
/// aborts it.
/// </summary>
public static class FhirChargeItem
{
    public static readonly FhirStream<Invoice> Source = new("ChargeItem", OwnerAsync, Map,
        created: (e, id) => e is ChargeItemCaptured c && c.ChargeId.ToString() == id);

    private static readonly string[] Statuses = ["billable", "billed", "aborted"];

    /// <summary>An invoice names its encounter, the encounter its patient.</summary>
    private static async Task<StreamOwner?> OwnerAsync(object first, IQuerySession session, CancellationToken ct) =>
        first is InvoiceOpened opened && await EncounterSummary.LoadAsync(opened.EncounterId, session, ct) is { } visit
            ? new StreamOwner(opened.FacilityId, visit.PatientId)
            : null;

    /// <summary>Aborted once voided (the work was withdrawn), billed once on an issued invoice, billable until then.</summary>
    private static string Status(Invoice invoice, ChargeItem charge) =>
        charge.Voided ? "aborted" : charge.OnInvoice && invoice.Status is not (InvoiceStatus.Draft or InvoiceStatus.Void) ? "billed" : "billable";

    public static R4.ChargeItem? Map(FhirFold<Invoice> fold)
    {
        var invoice = fold.State;
        if (invoice.Charges.FirstOrDefault(c => c.Id.ToString() == fold.Id) is not { } charge) return null;
        var code = new R4.CodeableConcept(FhirLinks.System(fold.Tenant, "price-code"), charge.Code, charge.Description, charge.Description);
        code.Coding.Add(new R4.Coding(FhirLinks.System(fold.Tenant, "charge-category"), ApiText.Of(charge.Category)));
        var item = new R4.ChargeItem
        {
            Status = EnumUtility.ParseLiteral<R4.ChargeItem.ChargeItemStatus>(Status(invoice, charge)),
            Code = code,
            Subject = FhirLinks.To("Patient", fold.Owner.PatientId),
            Context = FhirLinks.To("Encounter", invoice.EncounterId),
            Occurrence = new R4.FhirDateTime(charge.CapturedAt),
            EnteredDate = new R4.FhirDateTime(charge.CapturedAt).Value,
            Quantity = new R4.Quantity { Value = charge.Quantity },
            // R4 has no captured-price element short of a ChargeItemDefinition: the price list's total at capture is stated as the price.
            PriceOverride = charge.Priced
                ? new R4.Money { Value = charge.Total, Currency = EnumUtility.ParseLiteral<R4.Money.Currencies>(invoice.Currency) }
                : null,
            OverrideReason = charge.Priced ? $"The facility's price at capture: {charge.Quantity:0.##} × {charge.UnitPrice:0.00} {invoice.Currency}." : null,
        };
        if (Service(charge) is { } service) item.Service.Add(service);
        if (!charge.Priced) item.Note.Add(new R4.Annotation { Text = new R4.Markdown("Not priced: the facility had no price for this code when it was captured.") });
        if (charge.VoidReason is { } reason) item.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Voided: {reason}") });
        return item;
    }

    /// <summary>What was done, where it is served here: the consultation's encounter, the lab report, the imaging study.</summary>
    private static R4.ResourceReference? Service(ChargeItem charge) => charge.Category switch
    {
        ChargeCategory.Consultation => FhirLinks.To("Encounter", charge.SourceId),
        ChargeCategory.Lab => FhirLinks.To("DiagnosticReport", charge.SourceId),
        ChargeCategory.Imaging => FhirLinks.To("ImagingStudy", charge.SourceId),
        _ => null,
    };

    /// <summary>The invoice stream that holds a charge.</summary>
    private static async Task<Guid?> InvoiceOf(string id, IQuerySession session, CancellationToken ct) =>
        FhirLinks.StreamOf(id) is { } charge
            ? await session.Query<Invoice>().Where(i => i.Charges.Any(c => c.Id == charge)).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct)
            : null;

    /// <summary>A charge of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.charge-item")]
    [WolverineGet("/fhir/ChargeItem/{id}", Name = "ReadFhirChargeItem"), Authorize(Actions.ReadInvoice)]
    public static async Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await InvoiceOf(id, session, ct), id, null, session, scope, ct);

    /// <summary>The charge at one version of its invoice's stream.</summary>
    [ReadsChart("fhir.charge-item")]
    [WolverineGet("/fhir/ChargeItem/{id}/_history/{vid}", Name = "VreadFhirChargeItem"), Authorize(Actions.ReadInvoice)]
    public static async Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await InvoiceOf(id, session, ct), id, vid, session, scope, ct);

    /// <summary>Every version of the charge (one per version of its invoice's stream since it was captured), newest first.</summary>
    [ReadsChart("fhir.charge-item.history")]
    [WolverineGet("/fhir/ChargeItem/{id}/_history", Name = "FhirChargeItemHistory"), Authorize(Actions.ReadInvoice)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        await Source.HistoryAsync(await InvoiceOf(id, session, ct), id, _count, _page, request, session, scope, ct);

    /// <summary>
    /// The charges of a patient's visits (<c>patient</c>) or of one visit (<c>context</c>, an Encounter) in this facility, oldest
    /// first, by <c>status</c> (billable, billed, aborted).
    /// </summary>
    [ReadsChart("fhir.charge-item.search")]
    [WolverineGet("/fhir/ChargeItem", Name = "SearchFhirChargeItems"), Authorize(Actions.ReadInvoice)]
    public static async Task<FhirResponse> Search(string? patient, string? context, string? status, int? _count, int? _page,
        HttpRequest request, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var (filter, refused) = FhirFilter.Parse(request, patient, context, status, Statuses, _count, _page, "context", subjectRequired: true);
        if (refused is not null) return refused;
        var (patientId, encounterId, statuses) = filter;

        var visits = session.Query<EncounterView>().Where(e => e.FacilityId == scope.FacilityId);
        if (patientId is { } p) visits = visits.Where(e => e.PatientId == p);
        if (encounterId is { } v) visits = visits.Where(e => e.Id == v);
        var patients = (await visits.Select(e => new { e.Id, e.PatientId }).ToListAsync(ct)).ToDictionary(e => e.Id, e => e.PatientId);
        var invoices = await session.LoadManyAsync<Invoice>(ct, patients.Keys.Select(Invoice.IdFor));
        var charges = invoices.SelectMany(i => i.Charges.Select(c => (Invoice: i, Charge: c)))
            .Where(x => statuses is null || statuses.Contains(Status(x.Invoice, x.Charge)))
            .OrderBy(x => x.Charge.CapturedAt).ThenBy(x => x.Charge.Id).ToList();
        var paging = FhirPage.Of(_count, _page);
        return await FhirSearch.PageAsync(Source, charges.Skip(paging.Skip).Take(paging.Count)
                .Select(x => (x.Invoice.Id, x.Charge.Id.ToString(), patients[x.Invoice.EncounterId])).ToList(),
            charges.Count, paging, request, session, scope.TenantId, ct);
    }
}
