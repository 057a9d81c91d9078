using Encounters.Encounters;
using Encounters.Patients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Medications;

public record OverrideRequest(string? Code, string? Reason);

public record PrescriptionLine(string? Code, decimal? Dose, string? DoseUnit, string? Route, string? Frequency, int? DurationDays,
    decimal? Quantity, int? Refills, string? Instructions, OverrideRequest[]? Overrides);

/// <summary>
/// Lines written together (one FHIR MedicationRequest each, sharing a group id); valid 30 days unless said. A draft is
/// checked the same way but is not active (nor dispensable) until signed.
/// </summary>
public record Prescribe(PrescriptionLine[]? Lines, int? ValidDays, bool? Draft = null);

/// <summary>What prescribing decides on: the visit, the patient's record, the formulary and the patient's current medications.</summary>
public record PrescribingContext(Encounter? Encounter, Patient? Patient, IReadOnlyList<Medicine> Formulary, IReadOnlyList<Prescription> Current)
    : IFacilityScoped
{
    // A prescription is written within the encounter: its facility and version are what the guard and If-Match check.
    public string FacilityId => Encounter?.FacilityId ?? "";
    public long Version => Encounter?.Version ?? 0;
    public static string Resource => "Encounter";
}

public static class Prescribing
{
    public static readonly string[] Routes = ["oral", "intravenous", "intramuscular", "subcutaneous", "topical", "inhaled", "rectal", "vaginal"];

    /// <summary>Administrations per day.</summary>
    public static readonly IReadOnlyDictionary<string, int> Frequencies = new Dictionary<string, int>
    {
        ["once-daily"] = 1, ["twice-daily"] = 2, ["three-times-daily"] = 3, ["four-times-daily"] = 4, ["every-4-hours"] = 6,
        ["every-6-hours"] = 4, ["every-8-hours"] = 3, ["every-12-hours"] = 2, ["at-night"] = 1,
    };

    /// <summary>The line as written against its formulary entry (the quantity for the course when none was given).</summary>
    public static MedicationLine Written(Medicine m, PrescriptionLine line) =>
        new(m.Id, m.Name, m.Atc, m.TherapeuticClass, m.AllergyClass, m.Strength, line.Dose!.Value, m.AmountUnit, line.Route ?? m.DefaultRoute,
            line.Frequency!, line.DurationDays!.Value, line.Quantity ?? CourseQuantity(m, line.Dose!.Value, line.Frequency!, line.DurationDays!.Value),
            m.DispenseUnit, line.Refills ?? 0, line.Instructions?.Trim());

    /// <summary>The findings of one line the prescriber overrode, each with the reason they gave.</summary>
    public static SafetyOverride[] Overridden(IEnumerable<(SafetyFinding Finding, bool Overridden)> findings, int line, OverrideRequest[]? given) =>
        findings.Where(f => f.Finding.Line == line && f.Overridden)
            .Select(f => new SafetyOverride(f.Finding.Code, f.Finding.Message, given!.First(o => o.Code == f.Finding.Code).Reason!.Trim()))
            .DistinctBy(o => o.Code + o.Finding).ToArray();

    /// <summary>Dispensed units for the course: dose ÷ amount per unit × times a day × days, rounded up.</summary>
    public static decimal CourseQuantity(Medicine m, decimal dose, string frequency, int days) =>
        Math.Ceiling(dose / m.AmountPerUnit * Frequencies[frequency] * days);
}

public static class PrescribeEndpoint
{
    public static async Task<PrescribingContext> LoadAsync(Guid id, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var encounter = await session.LoadAsync<Encounter>(id, ct);
        var patient = encounter is null ? null : await session.LoadAsync<Patient>(encounter.PatientId, ct);
        var now = clock.GetUtcNow();
        var current = patient is null ? [] : await session.Query<Prescription>()
            .Where(p => p.PatientId == patient.Id && p.Status == PrescriptionStatus.Active && p.ValidUntil > now).ToListAsync(ct);
        return new(encounter, patient, await Formulary.AllAsync(session, ct), current);
    }

    public static ProblemDetails Validate(Prescribe command, PrescribingContext context, CurrentScope scope)
    {
        if (context is not { Encounter: { } encounter, Patient: not null }) return Problems.NotFound("Encounter");
        return Problems.Validation(Errors(command, context.Formulary))
            .Then(() => EncounterTransitions.Allows(encounter.Status, EncounterTransitions.Command.Prescribe) ? WolverineContinue.NoProblems
                : Problems.Conflict("medication.encounter_not_in_progress", "Prescriptions are written while the visit is in progress.",
                    new { currentStatus = EncounterTransitions.Name(encounter.Status) }))
            .Then(() => Findings(command, context).Where(f => !f.Overridden).ToArray() is { Length: > 0 } unmet
                ? Problems.Conflict("medication.safety_check", "A safety check failed; change the line, or override each finding by its code with a reason.",
                    new { findings = unmet.Select(f => f.Finding).ToArray() })
                : WolverineContinue.NoProblems);
    }

    public static Dictionary<string, string[]> Errors(Prescribe command, IReadOnlyList<Medicine> formulary)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Lines is not { Length: > 0 }) errors["lines"] = ["At least one line."];
        Requests.Limits.Items(errors, "lines", command.Lines);
        if (command.ValidDays is not (null or (>= 1 and <= 180))) errors["validDays"] = ["Between 1 and 180 days."];
        if (errors.Count > 0) return errors;
        for (var i = 0; i < command.Lines!.Length; i++)
        {
            var (line, at, before) = (command.Lines[i], $"lines[{i}]", errors.Count);
            if (line is null) { errors[at] = ["Required."]; continue; }
            var medicine = formulary.FirstOrDefault(m => m.Id == line.Code && !m.Retired);
            if (medicine is null) errors[$"{at}.code"] = ["Not in the formulary (or retired)."];
            if (line.Dose is not (> 0 and <= 1_000_000)) errors[$"{at}.dose"] = ["Above 0."];
            if (medicine is not null && line.DoseUnit is { } unit && unit != medicine.AmountUnit) errors[$"{at}.doseUnit"] = [$"{medicine.AmountUnit} for {medicine.Id}."];
            if (line.Route is not null && !Prescribing.Routes.Contains(line.Route)) errors[$"{at}.route"] = [$"One of {string.Join(", ", Prescribing.Routes)}."];
            if (line.Frequency is null || !Prescribing.Frequencies.ContainsKey(line.Frequency))
                errors[$"{at}.frequency"] = [$"One of {string.Join(", ", Prescribing.Frequencies.Keys)}."];
            if (line.DurationDays is not (>= 1 and <= 365)) errors[$"{at}.durationDays"] = ["Between 1 and 365 days."];
            if (line.Refills is not (null or (>= 0 and <= 12))) errors[$"{at}.refills"] = ["Between 0 and 12."];
            if (line.Quantity is not (null or (> 0 and <= 100_000))) errors[$"{at}.quantity"] = ["Above 0."];
            Requests.Limits.Text(errors, $"{at}.instructions", line.Instructions, Requests.Limits.Note);
            Requests.Limits.Items(errors, $"{at}.overrides", line.Overrides);
            foreach (var o in line.Overrides ?? [])
            {
                Requests.Limits.Text(errors, $"{at}.overrides.code", o?.Code, Requests.Limits.Code, required: true);
                Requests.Limits.Text(errors, $"{at}.overrides.reason", o?.Reason, Requests.Limits.Reason, required: true);
            }
            if (errors.Count == before && line.Quantity is { } quantity)
            {
                var course = Prescribing.CourseQuantity(medicine!, line.Dose!.Value, line.Frequency!, line.DurationDays!.Value);
                // A course, with room for pack sizes (a 100 mL bottle for 75 mL), but not another course.
                if (quantity < course || quantity > Math.Ceiling(course * 1.25m))
                    errors[$"{at}.quantity"] = [$"Dose × frequency × duration is {course:0.##} {medicine!.DispenseUnit} (up to a quarter more for pack sizes)."];
            }
        }
        return errors;
    }

    /// <summary>Every finding of every line, and whether the prescriber overrode it (by code, with a reason).</summary>
    public static List<(SafetyFinding Finding, bool Overridden)> Findings(Prescribe command, PrescribingContext context)
    {
        var therapies = context.Current.Select(p => (p.Line.TherapeuticClass, $"{p.Line.Name} (prescribed {p.PrescribedAt:yyyy-MM-dd})")).ToList();
        var all = new List<(SafetyFinding, bool)>();
        for (var i = 0; i < command.Lines!.Length; i++)
        {
            var line = command.Lines[i];
            var medicine = context.Formulary.First(m => m.Id == line.Code);
            var overridden = (line.Overrides ?? []).Select(o => o.Code).ToHashSet();
            all.AddRange(SafetyChecks.Of(i, medicine, line.Dose!.Value, context.Patient!, context.Formulary, therapies)
                .Select(f => (f, overridden.Contains(f.Code))));
            therapies.Add((medicine.TherapeuticClass, $"{medicine.Name} (line {i + 1} of this prescription)"));
        }
        return all;
    }

    /// <summary>
    /// Prescribes for the visit in progress: each line checked against the formulary (400), then against the patient's allergies,
    /// current medications and usual doses (409 <c>medication.safety_check</c> unless each finding is overridden with a reason).
    /// </summary>
    [WolverinePost("/api/encounters/{id}/prescriptions", Name = "Prescribe"), Authorize(Actions.Prescribe)]
    public static async Task<Created<PrescriptionGroup>> Post(Guid id, Prescribe command, PrescribingContext context, IDocumentSession session,
        CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var (encounter, now, group) = (context.Encounter!, clock.GetUtcNow(), Guid.CreateVersion7());
        var findings = Findings(command, context);
        var prescriptions = command.Lines!.Select((line, i) =>
        {
            var m = context.Formulary.First(x => x.Id == line.Code);
            var requested = new MedicationRequested(Guid.CreateVersion7(), group, encounter.Id, encounter.PatientId, encounter.FacilityId,
                Prescribing.Written(m, line), Prescribing.Overridden(findings, i, line.Overrides), scope.UserId, scope.UserName, now,
                now.AddDays(command.ValidDays ?? 30), command.Draft == true);
            session.Events.StartStream<Prescription>(requested.PrescriptionId, requested);
            return Prescription.Create(requested);
        }).ToArray();
        // The visit learns of its drafts in the same transaction (optimistically: a close racing this retries and sees them).
        if (command.Draft == true)
            (await session.Events.FetchForWriting<Encounter>(encounter.Id, ct))
                .AppendMany(prescriptions.Select(p => (object)new PrescriptionDraftOpened(encounter.Id, p.Id)).ToArray());
        return TypedResults.Created($"/api/encounters/{id}/prescriptions", new PrescriptionGroup(group, encounter.Id, encounter.PatientId, prescriptions));
    }
}

/// <summary>The prescriptions written together in one call.</summary>
public record PrescriptionGroup(Guid GroupId, Guid EncounterId, Guid PatientId, IReadOnlyList<Prescription> Prescriptions);
