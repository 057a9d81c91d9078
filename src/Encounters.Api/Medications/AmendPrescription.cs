namespace Encounters.Medications;

/// <summary>A new version of the line (same medicine; another medicine is another prescription), and why.</summary>
public record AmendPrescription(decimal? Dose, string? DoseUnit, string? Route, string? Frequency, int? DurationDays, decimal? Quantity,
    int? Refills, string? Instructions, OverrideRequest[]? Overrides, string? Reason);

/// <summary>The line replaced by a new version; the earlier versions stay readable (<c>?version=</c>).</summary>
public record MedicationRequestAmended(Guid PrescriptionId, Guid EncounterId, MedicationLine Line, SafetyOverride[] Overrides, string Reason,
    string AmendedBy, DateTimeOffset AmendedAt) : IVisitFact
{
    public TimelineLine Describe() => new("medication.amended", $"Prescription amended: {Line.Name} {Line.Dose:0.##} {Line.DoseUnit} {Line.Frequency} for {Line.DurationDays} days: {Reason}" + string.Concat(Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}")));
}

public sealed partial class Prescription
{
    /// <summary>1 as written, one more per amendment.</summary>
    public int LineVersion { get; set; } = 1;

    public void Apply(MedicationRequestAmended e)
    {
        (Line, LineVersion, Authorized) = (e.Line, LineVersion + 1, e.Line.Quantity * (1 + e.Line.Refills));
        Overrides = [.. Overrides, .. e.Overrides];
        AwaitingDispense = Status == PrescriptionStatus.Active && Remaining > 0;
    }
}

public static class AmendPrescriptionEndpoint
{
    /// <summary>The context as prescribing would see it, without the prescription itself among the current ones.</summary>
    public static async Task<PrescribingContext?> LoadAsync(Guid id, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<Prescription>(id, ct) is { } p && await PrescribeEndpoint.LoadAsync(p.EncounterId, session, clock, ct) is var c
            ? c with { Current = c.Current.Where(x => x.Id != id).ToList() }
            : null;

    public static ProblemDetails Validate(AmendPrescription command, [WriteAggregate] Prescription prescription, PrescribingContext? context,
        CurrentScope scope)
    {
        var amended = Amended(command, prescription);
        var errors = PrescribeEndpoint.Errors(amended, context?.Formulary ?? []);
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason, required: true);
        if (errors.Count > 0)
            return Problems.Validation(errors.ToDictionary(e => e.Key.Replace("lines[0].", "").Replace("lines[0]", "body"), e => e.Value));
        if (prescription.Status is not (PrescriptionStatus.Active or PrescriptionStatus.Draft) || context is null)
            return Problems.Conflict("medication.invalid_transition", "Only an active or draft prescription is amended.",
                new { currentStatus = ChangePrescriptionStatusEndpoint.Name(prescription.Status) });
        var line = Prescribing.Written(context.Formulary.First(m => m.Id == prescription.Line.Code), amended.Lines![0]);
        if (line.Quantity * (1 + line.Refills) < prescription.Dispensed)
            return Problems.Conflict("medication.below_dispensed", $"{prescription.Dispensed:0.##} {line.DispenseUnit} were already dispensed.");
        return PrescribeEndpoint.Findings(amended, context).Where(f => !f.Overridden).ToArray() is { Length: > 0 } unmet
            ? Problems.Conflict("medication.safety_check", "A safety check failed; change the line, or override each finding by its code with a reason.",
                new { findings = unmet.Select(f => f.Finding).ToArray() })
            : WolverineContinue.NoProblems;
    }

    /// <summary>Amends a prescription's line (dose, frequency, duration, quantity...): a new version, checked like a new line.</summary>
    [WolverinePost("/api/prescriptions/{id}/amend", Name = "AmendPrescription"), Authorize(Actions.Prescribe)]
    public static (Prescription, Events) Post(AmendPrescription command, [WriteAggregate] Prescription prescription, PrescribingContext context,
        CurrentScope scope, TimeProvider clock)
    {
        var amended = Amended(command, prescription);
        var line = Prescribing.Written(context.Formulary.First(m => m.Id == prescription.Line.Code), amended.Lines![0]);
        var e = new MedicationRequestAmended(prescription.Id, prescription.EncounterId, line,
            Prescribing.Overridden(PrescribeEndpoint.Findings(amended, context).Where(f => command.Overrides?.Any(o => o.Code == f.Finding.Code) == true),
                0, command.Overrides), command.Reason!.Trim(), scope.UserName,
            clock.GetUtcNow());
        var after = prescription.Copy();
        after.Apply(e);
        after.Version = prescription.Version + 1;
        return (after, [e]);
    }

    /// <summary>
    /// The amended line: what the request gives, the current line for the rest. Earlier overrides still stand, except a dose
    /// override when the dose changes; the quantity is recomputed only when the course changes and none is given.
    /// </summary>
    private static Prescribe Amended(AmendPrescription c, Prescription p)
    {
        var l = p.Line;
        var carried = p.Overrides.Where(o => c.Dose is null || c.Dose == l.Dose || o.Code != SafetyChecks.DoseOutOfRange)
            .Select(o => new OverrideRequest(o.Code, o.Reason));
        var sameCourse = c.Dose is null && c.Frequency is null && c.DurationDays is null;
        return new Prescribe([new PrescriptionLine(l.Code, c.Dose ?? l.Dose, c.DoseUnit ?? l.DoseUnit, c.Route ?? l.Route, c.Frequency ?? l.Frequency,
            c.DurationDays ?? l.DurationDays, c.Quantity ?? (sameCourse ? l.Quantity : null), c.Refills ?? l.Refills, c.Instructions ?? l.Instructions,
            [.. carried, .. c.Overrides ?? []])], null);
    }
}
