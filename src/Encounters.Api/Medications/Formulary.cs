using System.Text.RegularExpressions;
using Encounters.Audit;

namespace Encounters.Medications;

/// <summary>A medicine of a tenant's formulary (document id = local code, e.g. AMOX-500).</summary>
public sealed class Medicine : IVersioned
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>WHO ATC code (e.g. J01CA04).</summary>
    public string Atc { get; set; } = "";

    /// <summary>What "the same therapy" means for duplicate checks: ATC level 4 by default.</summary>
    public string TherapeuticClass { get; set; } = "";

    public string Form { get; set; } = "";
    public string Strength { get; set; } = "";

    /// <summary>Amount of drug (in <see cref="AmountUnit"/>) per dispensed unit: 500 mg per capsule, 25 mg per mL.</summary>
    public decimal AmountPerUnit { get; set; }

    public string AmountUnit { get; set; } = "";
    public string DispenseUnit { get; set; } = "";
    public string DefaultRoute { get; set; } = "oral";

    /// <summary>Usual dose per administration, in <see cref="AmountUnit"/>.</summary>
    public decimal MinDose { get; set; }

    public decimal MaxDose { get; set; }

    /// <summary>The allergy class a patient's allergy is matched against (penicillins, sulfonamides, nsaids...).</summary>
    public string? AllergyClass { get; set; }

    public bool Retired { get; set; }
    public long Version { get; set; } = 1;

    // TB drugs are given together by design (HRZE): only the same substance is a duplicate there.
    public static string ClassOf(string atc) => atc.StartsWith("J04") || atc.Length < 5 ? atc : atc[..5];
}

/// <summary>A formulary entry added, changed or retired: who (event metadata) and why.</summary>
public record FormularyEntryChanged(Medicine Medicine, string Reason, DateTimeOffset ChangedAt);

public static class Formulary
{
    public static async Task<IReadOnlyList<Medicine>> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var own = await session.Query<Medicine>().ToListAsync(ct);
        return DefaultFormulary.Medicines.Where(d => own.All(o => o.Id != d.Id)).Concat(own).OrderBy(m => m.Id).ToList();
    }

    public static async Task<Medicine?> FindAsync(IQuerySession session, string code, CancellationToken ct) =>
        await session.LoadAsync<Medicine>(code, ct) ?? DefaultFormulary.Medicines.FirstOrDefault(m => m.Id == code);
}

public static class GetFormularyEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => Problems.Validation(Paging.Errors(page, pageSize));

    /// <summary>The tenant's formulary, by code, a page at a time.</summary>
    [NoPatientData]
    [WolverineGet("/api/medications/formulary", Name = "GetFormulary"), Authorize(Actions.ReadFormulary)]
    public static async Task<Page<Medicine>> Get(int? page, int? pageSize, IQuerySession session, CancellationToken ct) =>
        Paging.Of(await Formulary.AllAsync(session, ct), page, pageSize);
}

public record ChangeFormularyEntry(string? Code, string? Name, string? Atc, string? Form, string? Strength, decimal? AmountPerUnit,
    string? AmountUnit, string? DispenseUnit, string? DefaultRoute, decimal? MinDose, decimal? MaxDose, string? AllergyClass,
    bool? Retired, string? Reason);

/// <summary>Its own type, so that the answer (a <see cref="Medicine"/>) is never mistaken for it.</summary>
public record PreviousEntry(Medicine? Medicine);

public static partial class ChangeFormularyEntryEndpoint
{
    [GeneratedRegex(@"\A[A-Z0-9/-]{1,24}\z")]
    private static partial Regex LocalCode();

    [GeneratedRegex(@"\A[A-Z][0-9]{2}[A-Z]{2}([0-9]{2})?\z")]
    private static partial Regex AtcShape();

    /// <summary>The entry as it is now (the built-in one, or the tenant's own), if any.</summary>
    public static async Task<PreviousEntry> LoadAsync(ChangeFormularyEntry c, IQuerySession session, CancellationToken ct) =>
        new(c.Code is { Length: > 0 and <= 24 } code ? await Formulary.FindAsync(session, code, ct) : null);

    public static ProblemDetails Validate(ChangeFormularyEntry c, PreviousEntry previous, CurrentScope scope) =>
        scope.ExpectedVersion is { } expected && expected != (previous.Medicine?.Version ?? 0)
            ? Problems.PreconditionFailed(previous.Medicine?.Version)
            : Errors(c);

    private static ProblemDetails Errors(ChangeFormularyEntry c)
    {
        var errors = new Dictionary<string, string[]>();
        if (c.Code is null || !LocalCode().IsMatch(c.Code)) errors["code"] = ["1-24 of A-Z, 0-9, '/' and '-'."];
        if (c.Atc is null || !AtcShape().IsMatch(c.Atc)) errors["atc"] = ["An ATC code such as J01CA04."];
        foreach (var (field, value, max) in new[] { ("name", c.Name, Requests.Limits.Name), ("form", c.Form, Requests.Limits.Code),
                     ("strength", c.Strength, Requests.Limits.Code), ("amountUnit", c.AmountUnit, Requests.Limits.Code),
                     ("dispenseUnit", c.DispenseUnit, Requests.Limits.Code), ("reason", c.Reason, Requests.Limits.Reason) })
            Requests.Limits.Text(errors, field, value, max, required: true);
        Requests.Limits.Text(errors, "allergyClass", c.AllergyClass, Requests.Limits.Code);
        if (c.DefaultRoute is not null && !Prescribing.Routes.Contains(c.DefaultRoute)) errors["defaultRoute"] = [$"One of {string.Join(", ", Prescribing.Routes)}."];
        if (c.AmountPerUnit is not (> 0 and <= 1_000_000)) errors["amountPerUnit"] = ["Above 0."];
        if (c.MinDose is not (> 0 and <= 1_000_000) || c.MaxDose is not (> 0 and <= 1_000_000) || c.MinDose > c.MaxDose)
            errors["minDose"] = ["minDose and maxDose above 0, minDose at most maxDose."];
        return Problems.Validation(errors);
    }

    /// <summary>
    /// Adds, changes or retires a formulary entry (an event: who and why; If-Match names the entry's version, 0 for a new one);
    /// prescriptions keep the line they were written with.
    /// </summary>
    [WolverinePost("/api/medications/formulary", Name = "ChangeFormularyEntry"), Authorize(Actions.ManageFormulary)]
    public static (Medicine, IMartenOp, IStartStream) Post(ChangeFormularyEntry c, PreviousEntry previous, TimeProvider clock)
    {
        var medicine = new Medicine
        {
            Id = c.Code!, Name = c.Name!.Trim(), Atc = c.Atc!, TherapeuticClass = Medicine.ClassOf(c.Atc!),
            Form = c.Form!.Trim(), Strength = c.Strength!.Trim(), AmountPerUnit = c.AmountPerUnit!.Value, AmountUnit = c.AmountUnit!.Trim(),
            DispenseUnit = c.DispenseUnit!.Trim(), DefaultRoute = c.DefaultRoute ?? "oral", MinDose = c.MinDose!.Value,
            MaxDose = c.MaxDose!.Value, AllergyClass = c.AllergyClass?.Trim().ToLowerInvariant(), Retired = c.Retired ?? false,
            Version = (previous.Medicine?.Version ?? 0) + 1,
        };
        return (medicine, MartenOps.Store(medicine),
            MartenOps.StartStream<FormularyEntryChanged>(Guid.CreateVersion7(), new FormularyEntryChanged(medicine, c.Reason!.Trim(), clock.GetUtcNow())));
    }
}
