using Encounters.Encounters;

namespace Encounters.Medications;

/// <summary>Overrides for findings that are new since the draft was written (an allergy recorded meanwhile).</summary>
public record SignPrescription(OverrideRequest[]? Overrides);

public static class SignPrescriptionEndpoint
{
    public static async Task<PrescribingContext?> LoadAsync(Guid id, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<Prescription>(id, ct) is { } p ? await PrescribeEndpoint.LoadAsync(p.EncounterId, session, clock, ct) : null;

    public static ProblemDetails Validate(SignPrescription command, [WriteAggregate] Prescription prescription, PrescribingContext? context,
        CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        Requests.Limits.Items(errors, "overrides", command.Overrides);
        foreach (var o in command.Overrides ?? [])
        {
            Requests.Limits.Text(errors, "overrides.code", o?.Code, Requests.Limits.Code, required: true);
            Requests.Limits.Text(errors, "overrides.reason", o?.Reason, Requests.Limits.Reason, required: true);
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        if (prescription.Status != PrescriptionStatus.Draft || context is null)
            return Problems.Conflict("medication.invalid_transition", "Only a draft is signed.",
                new { currentStatus = ChangePrescriptionStatusEndpoint.Name(prescription.Status) });
        return Findings(command, prescription, context).Where(f => !f.Overridden).ToArray() is { Length: > 0 } unmet
            ? Problems.Conflict("medication.safety_check", "A safety check fails now; override each finding by its code with a reason.",
                new { findings = unmet.Select(f => f.Finding).ToArray() })
            : WolverineContinue.NoProblems;
    }

    /// <summary>Signs a draft: the checks run again against the patient as they are now; it becomes active and dispensable.</summary>
    [WolverinePost("/api/prescriptions/{id}/sign", Name = "SignPrescription"), Authorize(Actions.Prescribe)]
    public static async Task<(Prescription, Events)> Post(SignPrescription command, [WriteAggregate] Prescription prescription,
        PrescribingContext context, IDocumentSession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var already = prescription.Overrides.Select(o => o.Code).ToHashSet();
        var added = Prescribing.Overridden(Findings(command, prescription, context).Where(f => !already.Contains(f.Finding.Code)), 0,
            command.Overrides);
        var signed = new MedicationRequestSigned(prescription.Id, prescription.EncounterId, prescription.Line, added, scope.UserName, now,
            now + (prescription.ValidUntil - prescription.PrescribedAt));
        await DraftSettlement.SettleAsync(session, prescription, ct);
        var after = prescription.Copy();
        after.Apply(signed);
        after.Version = prescription.Version + 1;
        return (after, [signed]);
    }

    /// <summary>The draft's line checked as if written now; the draft's own overrides still stand.</summary>
    private static List<(SafetyFinding Finding, bool Overridden)> Findings(SignPrescription command, Prescription p, PrescribingContext context)
    {
        var l = p.Line;
        var line = new PrescriptionLine(l.Code, l.Dose, l.DoseUnit, l.Route, l.Frequency, l.DurationDays, l.Quantity, l.Refills, l.Instructions,
            [.. p.Overrides.Select(o => new OverrideRequest(o.Code, o.Reason)), .. command.Overrides ?? []]);
        return PrescribeEndpoint.Findings(new Prescribe([line], null), context);
    }
}

public static class DraftSettlement
{
    /// <summary>Tells the visit a draft of its own is settled (signed, cancelled or entered in error), in the same transaction.</summary>
    public static async Task SettleAsync(IDocumentSession session, Prescription prescription, CancellationToken ct)
    {
        if (prescription.Status != PrescriptionStatus.Draft) return;
        (await session.Events.FetchForWriting<Encounter>(prescription.EncounterId, ct))
            .AppendOne(new PrescriptionDraftSettled(prescription.EncounterId, prescription.Id));
    }
}
