using Encounters.Encounters;
using Encounters.Lab;
using Wolverine;

namespace Encounters.Billing;

/// <summary>What was done, as billing prices it: the source fact (its type and id) makes a capture happen at most once.</summary>
public record ChargeSource(ChargeCategory Category, string Code, string Description, decimal Quantity, string SourceEvent, Guid SourceId,
    DateTimeOffset At);

/// <summary>
/// Charges are captured from the other modules' published facts, delivered durably through the outbox,
/// never by calling into those modules. Extension point for dispensing (the medications module, not merged yet): a handler
/// of its dispense fact calls <see cref="CaptureAsync"/> with <see cref="ChargeCategory.Medication"/>, the medicine's code,
/// the quantity dispensed and the dispense's id as the source.
/// </summary>
public static class ChargeCapture
{
    /// <summary>Used when a facility has set no price yet; every price it sets must then be in its own currency.</summary>
    public const string DefaultCurrency = "USD";

    public static async Task CaptureAsync(IDocumentSession session, IMessageContext context, Guid encounterId, string facilityId,
        EventActor actor, ChargeSource source, CancellationToken ct)
    {
        EventMetadataMiddleware.Stamp(session, actor, context.TenantId ?? "", facilityId);
        var invoice = await session.Events.FetchForWriting<Invoice>(Invoice.IdFor(encounterId), ct);
        // A redelivered fact finds its charge already captured.
        if (invoice.Aggregate?.Charges.Any(c => c.SourceEvent == source.SourceEvent && c.SourceId == source.SourceId) == true) return;

        var prices = await session.LoadAsync<PriceList>(PriceList.IdFor(session.TenantId, facilityId), ct);
        var currency = invoice.Aggregate?.Currency ?? prices?.Currency ?? DefaultCurrency;
        if (invoice.Aggregate is null) invoice.AppendOne(new InvoiceOpened(invoice.Id, encounterId, facilityId, currency, source.At));

        // Unpriced work is still captured (at zero, flagged) so that nothing done goes unbilled silently.
        var price = prices?.PriceAt(source.Category, source.Code, source.At);
        var unit = price?.Currency == currency ? price.Amount : 0m;
        invoice.AppendOne(new ChargeItemCaptured(invoice.Id, encounterId, facilityId, Guid.CreateVersion7(), source.Category, source.Code,
            price?.Description ?? source.Description, source.Quantity, unit, unit * source.Quantity, currency, price?.Currency == currency,
            source.SourceEvent, source.SourceId, source.At));
    }
}

public static class ConsultChargeHandler
{
    /// <summary>Visit types are not modelled yet: every outpatient consultation is priced under the code <c>outpatient</c>.</summary>
    public const string VisitType = "outpatient";

    public static Task Handle(EncounterConsultStarted started, IDocumentSession session, IMessageContext context, CancellationToken ct) =>
        ChargeCapture.CaptureAsync(session, context, started.EncounterId, started.FacilityId, started.StartedBy,
            new ChargeSource(ChargeCategory.Consultation, VisitType, "Outpatient consultation", 1, "consult.started", started.EncounterId,
                started.StartedAt), ct);
}

public static class LabChargeHandler
{
    /// <summary>The first release of a test is charged; a corrected report is the same test, not another one.</summary>
    public static Task Handle(LabItemReleased released, IDocumentSession session, IMessageContext context, CancellationToken ct) =>
        released.Corrected
            ? Task.CompletedTask
            : ChargeCapture.CaptureAsync(session, context, released.EncounterId, released.FacilityId, released.ReleasedBy,
                new ChargeSource(ChargeCategory.Lab, released.TestCode, released.TestName, 1, "lab.released", released.ResultId,
                    released.ReleasedAt), ct);
}

public static class ImagingChargeHandler
{
    /// <summary>A study is charged at its first report's release, under the catalog's price code; an addendum is the same study.</summary>
    public static Task Handle(ImagingItemReleased released, IDocumentSession session, IMessageContext context, CancellationToken ct) =>
        released.Addendum
            ? Task.CompletedTask
            : ChargeCapture.CaptureAsync(session, context, released.EncounterId, released.FacilityId, released.ReleasedBy,
                new ChargeSource(ChargeCategory.Imaging, released.PriceCode, released.ProcedureName, 1, "imaging.released", released.RequestId,
                    released.ReleasedAt), ct);
}

public static class WithdrawnChargesHandler
{
    /// <summary>
    /// Work that was withdrawn voids its live charges, with the reason. (Lab items are charged at release and can only be
    /// cancelled before their sample is received, so a cancelled item never has a charge to void.)
    /// </summary>
    public static async Task Handle(EncounterWithdrawn withdrawn, IDocumentSession session, IMessageContext context, TimeProvider clock,
        CancellationToken ct)
    {
        EventMetadataMiddleware.Stamp(session, withdrawn.By, context.TenantId ?? "", withdrawn.FacilityId);
        var invoice = await session.Events.FetchForWriting<Invoice>(Invoice.IdFor(withdrawn.EncounterId), ct);
        if (invoice.Aggregate is not { } current) return;
        foreach (var charge in current.Charges.Where(c => !c.Voided))
            invoice.AppendOne(new ChargeItemVoided(current.Id, current.EncounterId, current.FacilityId, charge.Id, charge.Category, charge.Total,
                current.Currency, withdrawn.Reason, clock.GetUtcNow()));
    }
}
