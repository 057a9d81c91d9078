using Encounters.Encounters;
using Encounters.Audit;
using System.Text.RegularExpressions;

namespace Encounters.Lab;

/// <summary>An orderable test of a tenant's catalog (document id = local code, e.g. CBC).</summary>
public sealed class LabTest
{
    public string Id { get; set; } = "";
    public string Loinc { get; set; } = "";
    public string Name { get; set; } = "";
    public Specimen Specimen { get; set; } = new("", "");
    public Analyte[] Analytes { get; set; } = [];
    public bool Retired { get; set; }

    /// <summary>Bumped on every change; results record the version they were judged against.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>
/// The catalog a tenant orders from: the built-in default catalog, overlaid by the tenant's own
/// additions and retirements (stored as <see cref="LabTest"/> documents).
/// </summary>
public static class LabCatalog
{
    public static async Task<IReadOnlyList<LabTest>> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var own = await session.Query<LabTest>().ToListAsync(ct);
        return DefaultCatalog.Tests.Where(d => own.All(o => o.Id != d.Id)).Concat(own).OrderBy(t => t.Id).ToList();
    }

    public static async Task<LabTest?> FindAsync(IQuerySession session, string code, CancellationToken ct) =>
        await session.LoadAsync<LabTest>(code, ct) ?? DefaultCatalog.Tests.FirstOrDefault(t => t.Id == code);

    /// <summary>Each test's definitions and retirement are one stream, with an id derived from its code.</summary>
    public static Guid StreamOf(string code) => DerivedIds.Of($"lab-test:{code}");

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(LabTestDefined), typeof(LabTestRetired)]);
        opts.Projections.Add<LabCatalogProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
    }
}

// Catalog changes are facts with who (metadata) and why; the LabTest documents are their projection.
public record LabTestDefined(LabTest Test, string? Reason, DateTimeOffset DefinedAt);

public record LabTestRetired(LabTest Test, string Reason, DateTimeOffset RetiredAt);

public sealed partial class LabCatalogProjection : Marten.Events.Projections.EventProjection
{
    public void Project(LabTestDefined e, IDocumentOperations ops) => ops.Store(e.Test);
    public void Project(LabTestRetired e, IDocumentOperations ops) => ops.Store(e.Test);
}

public static class GetCatalogEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => Problems.Validation(Paging.Errors(page, pageSize));

    /// <summary>The tenant's catalog, by code, a page at a time.</summary>
    [NoPatientData]
    [WolverineGet("/api/lab/catalog", Name = "GetLabCatalog"), Authorize(Actions.ReadCatalog)]
    public static async Task<Page<LabTest>> Get(int? page, int? pageSize, IQuerySession session, CancellationToken ct) =>
        Paging.Of(await LabCatalog.AllAsync(session, ct), page, pageSize);
}

public record AddLabTest(string? Code, string? Loinc, string? Name, Specimen? Specimen, Analyte[]? Analytes, string? Reason = null);

public static partial class AddLabTestEndpoint
{
    [GeneratedRegex(@"\A[A-Z0-9-]{1,16}\z")]
    private static partial Regex LocalCode();

    [GeneratedRegex(@"\A[0-9]{1,7}-[0-9]\z")]
    private static partial Regex LoincShape();

    public static async Task<ProblemDetails> ValidateAsync(AddLabTest command, IQuerySession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Code is null || !LocalCode().IsMatch(command.Code)) errors["code"] = ["1-16 of A-Z, 0-9 and '-'."];
        if (command.Loinc is null || !LoincShape().IsMatch(command.Loinc)) errors["loinc"] = ["A LOINC code such as 2345-7."];
        Requests.Limits.Text(errors, "name", command.Name, Requests.Limits.Name, required: true);
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason, required: false);
        if (string.IsNullOrWhiteSpace(command.Specimen?.Type) || string.IsNullOrWhiteSpace(command.Specimen?.Container))
            errors["specimen"] = ["Type and container are required."];
        else if (command.Specimen.Type.Length > Requests.Limits.Code || command.Specimen.Container.Length > Requests.Limits.Name)
            errors["specimen"] = [$"A type of at most {Requests.Limits.Code} and a container of at most {Requests.Limits.Name} characters."];
        if (command.Analytes is not { Length: > 0 }) errors["analytes"] = ["At least one analyte."];
        // Results are matched to analytes by code: a duplicate would make every result entry for the test ambiguous.
        else if (command.Analytes.Where(a => a is not null).GroupBy(a => a.Code).Any(g => g.Count() > 1))
            errors["analytes"] = ["Each analyte code once."];
        else
            for (var i = 0; i < command.Analytes.Length; i++)
            {
                var a = command.Analytes[i];
                if (a is null || !LoincShape().IsMatch(a.Code ?? "")) errors[$"analytes[{i}].code"] = ["A LOINC code."];
                Requests.Limits.Text(errors, $"analytes[{i}].unit", a?.Unit, Requests.Limits.Code, required: a?.Type == ResultValueType.Numeric);
                Requests.Limits.Text(errors, $"analytes[{i}].name", a?.Name, Requests.Limits.Name, required: true);
                if (a?.ReferenceRanges is null) errors[$"analytes[{i}].referenceRanges"] = ["Required (may be empty)."];
                ValueSetErrors(errors, $"analytes[{i}].valueSet", a);
            }
        if (errors.Count > 0) return Problems.Validation(errors);

        return await LabCatalog.FindAsync(session, command.Code!, ct) is null
            ? WolverineContinue.NoProblems
            : Problems.Conflict("catalog.duplicate_code", $"The catalog already has a test {command.Code}.");
    }

    /// <summary>A coded or ordinal analyte needs its answers, each code once; other types have none.</summary>
    private static void ValueSetErrors(Dictionary<string, string[]> errors, string field, Analyte? a)
    {
        if (a is null) return;
        if (!a.IsCoded)
        {
            if (a.ValueSet is { Length: > 0 }) errors[field] = ["Only coded and ordinal analytes have a value set."];
            return;
        }
        if (a.ValueSet is not { Length: > 0 } set || set.Any(v => v is null)) errors[field] = ["At least one coded value."];
        else if (set.Any(v => string.IsNullOrWhiteSpace(v.Code) || v.Code.Length > Requests.Limits.Code ||
                              string.IsNullOrWhiteSpace(v.Display) || v.Display.Length > Requests.Limits.Name))
            errors[field] = [$"Each value: a code of at most {Requests.Limits.Code} and a display of at most {Requests.Limits.Name} characters."];
        else if (set.GroupBy(v => v.Code).Any(g => g.Count() > 1)) errors[field] = ["Each code once."];
    }

    /// <summary>Adds a test to this tenant's catalog (every facility of the tenant orders from it).</summary>
    [WolverinePost("/api/lab/catalog", Name = "AddLabTest"), Authorize(Actions.ManageCatalog)]
    public static (Microsoft.AspNetCore.Http.HttpResults.Created<LabTest>, IMartenOp) Post(AddLabTest command, TimeProvider clock)
    {
        var test = new LabTest
        {
            Id = command.Code!, Loinc = command.Loinc!, Name = command.Name!.Trim(), Specimen = command.Specimen!,
            Analytes = command.Analytes!.Select(a => a with { Unit = a.Unit ?? "" }).ToArray(),
        };
        // No route reads one test: the Location is the catalog that lists it.
        return (TypedResults.Created("/api/lab/catalog", test),
            MartenOps.StartStream<LabTest>(LabCatalog.StreamOf(test.Id), new LabTestDefined(test, command.Reason?.Trim(), clock.GetUtcNow())));
    }
}

public record RetireLabTest(string? Reason);

public static class RetireLabTestEndpoint
{
    public static async Task<LabTest?> LoadAsync(string code, IQuerySession session, CancellationToken ct) =>
        await LabCatalog.FindAsync(session, code, ct);

    public static ProblemDetails Validate(RetireLabTest command, [NotBody] LabTest? test) =>
        test is null ? Problems.NotFound("Test")
        : Reasons.Errors(command.Reason) is { Count: > 0 } errors ? Problems.Validation(errors)
        : test.Retired ? Problems.Conflict("catalog.already_retired", $"{test.Id} is already retired.")
        : WolverineContinue.NoProblems;

    /// <summary>Retires a test: it stays in the catalog (and on past orders) but can no longer be ordered.</summary>
    [WolverinePost("/api/lab/catalog/{code}/retire", Name = "RetireLabTest"), Authorize(Actions.ManageCatalog)]
    public static (LabTest, IMartenOp) Post(RetireLabTest command, [NotBody] LabTest test, TimeProvider clock)
    {
        var retired = new LabTest
        {
            Id = test.Id, Loinc = test.Loinc, Name = test.Name, Specimen = test.Specimen, Analytes = test.Analytes,
            Retired = true, Version = test.Version + 1,
        };
        var retiredEvent = new LabTestRetired(retired, command.Reason!.Trim(), clock.GetUtcNow());
        // A built-in test's stream starts with its retirement; appending creates it.
        return (retired, MartenOps.Append(LabCatalog.StreamOf(test.Id), retiredEvent));
    }
}
