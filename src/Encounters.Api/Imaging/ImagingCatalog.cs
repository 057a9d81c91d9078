using Encounters.Audit;
using System.Text.RegularExpressions;

namespace Encounters.Imaging;

/// <summary>An orderable imaging procedure of a tenant's catalog (document id = local code, e.g. CXR-PA).</summary>
public sealed class ImagingProcedure
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>DICOM modality: DX (digital X-ray), CR, US, CT, MR, MG, FL.</summary>
    public string Modality { get; set; } = "";

    public string BodySite { get; set; } = "";

    /// <summary>What the patient is told before coming (fasting, a full bladder, metal off).</summary>
    public string Preparation { get; set; } = "";

    /// <summary>The code billing prices the study under.</summary>
    public string PriceCode { get; set; } = "";

    public int Version { get; set; } = 1;
}

/// <summary>The imaging catalog: the built-in procedures overlaid by the tenant's own (stored as documents).</summary>
public static class ImagingCatalog
{
    public static readonly string[] Modalities = ["DX", "CR", "US", "CT", "MR", "MG", "FL"];

    private static ImagingProcedure Procedure(string code, string name, string modality, string site, string preparation) =>
        new() { Id = code, Name = name, Modality = modality, BodySite = site, Preparation = preparation, PriceCode = code };

    private const string MetalOff = "Remove jewellery and anything metal from the region; a gown is provided.";

    public static readonly IReadOnlyList<ImagingProcedure> Defaults =
    [
        Procedure("CXR-PA", "Chest X-ray, PA view", "DX", "Chest", MetalOff),
        Procedure("CXR-PALAT", "Chest X-ray, PA and lateral views", "DX", "Chest", MetalOff),
        Procedure("XR-ABD", "Abdominal X-ray, supine", "DX", "Abdomen", MetalOff),
        Procedure("XR-SPINE-L", "Lumbar spine X-ray, AP and lateral", "DX", "Lumbar spine", MetalOff),
        Procedure("US-ABD", "Abdominal ultrasound", "US", "Abdomen", "Nothing to eat for 6 hours before; water is fine."),
        Procedure("US-PELVIS", "Pelvic ultrasound", "US", "Pelvis", "Drink 1 litre of water an hour before and do not empty the bladder."),
        Procedure("US-OB", "Obstetric ultrasound", "US", "Uterus", "No preparation after 20 weeks; before that, a full bladder."),
    ];

    public static async Task<IReadOnlyList<ImagingProcedure>> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var own = await session.Query<ImagingProcedure>().ToListAsync(ct);
        return Defaults.Where(d => own.All(o => o.Id != d.Id)).Concat(own).OrderBy(p => p.Id).ToList();
    }

    public static async Task<ImagingProcedure?> FindAsync(IQuerySession session, string code, CancellationToken ct) =>
        await session.LoadAsync<ImagingProcedure>(code, ct) ?? Defaults.FirstOrDefault(p => p.Id == code);

    public static Guid StreamOf(string code) => DerivedIds.Of($"imaging-procedure:{code}");

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<ImagingProcedureDefined>();
        opts.Projections.Add<ImagingCatalogProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
    }
}

/// <summary>A procedure added to (or redefined in) the tenant's catalog: who (metadata) and why.</summary>
public record ImagingProcedureDefined(ImagingProcedure Procedure, string? Reason, DateTimeOffset DefinedAt);

public sealed partial class ImagingCatalogProjection : Marten.Events.Projections.EventProjection
{
    public void Project(ImagingProcedureDefined e, IDocumentOperations ops) => ops.Store(e.Procedure);
}

public static class GetImagingCatalogEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => Problems.Validation(Paging.Errors(page, pageSize));

    /// <summary>The tenant's imaging procedures, by code, a page at a time.</summary>
    [NoPatientData]
    [WolverineGet("/api/imaging/catalog", Name = "GetImagingCatalog"), Authorize(Actions.ReadImagingCatalog)]
    public static async Task<Page<ImagingProcedure>> Get(int? page, int? pageSize, IQuerySession session, CancellationToken ct) =>
        Paging.Of(await ImagingCatalog.AllAsync(session, ct), page, pageSize);
}

public record AddImagingProcedure(string? Code, string? Name, string? Modality, string? BodySite, string? Preparation, string? PriceCode,
    string? Reason = null);

public static partial class AddImagingProcedureEndpoint
{
    [GeneratedRegex(@"\A[A-Z0-9-]{1,16}\z")]
    private static partial Regex LocalCode();

    public static async Task<ProblemDetails> ValidateAsync(AddImagingProcedure command, IQuerySession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Code is null || !LocalCode().IsMatch(command.Code)) errors["code"] = ["1-16 of A-Z, 0-9 and '-'."];
        if (command.Modality is null || !ImagingCatalog.Modalities.Contains(command.Modality))
            errors["modality"] = [$"A DICOM modality: {string.Join(", ", ImagingCatalog.Modalities)}."];
        Requests.Limits.Text(errors, "name", command.Name, Requests.Limits.Name, required: true);
        Requests.Limits.Text(errors, "bodySite", command.BodySite, Requests.Limits.Name, required: true);
        Requests.Limits.Text(errors, "preparation", command.Preparation, Requests.Limits.Note);
        Requests.Limits.Text(errors, "priceCode", command.PriceCode, Requests.Limits.Code, required: true);
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason);
        if (errors.Count > 0) return Problems.Validation(errors);
        return await ImagingCatalog.FindAsync(session, command.Code!, ct) is null
            ? WolverineContinue.NoProblems
            : Problems.Conflict("catalog.duplicate_code", $"The imaging catalog already has a procedure {command.Code}.");
    }

    /// <summary>Adds an imaging procedure to this tenant's catalog (every facility of the tenant orders from it).</summary>
    [WolverinePost("/api/imaging/catalog", Name = "AddImagingProcedure"), Authorize(Actions.ManageImagingCatalog)]
    public static (Microsoft.AspNetCore.Http.HttpResults.Created<ImagingProcedure>, IMartenOp) Post(AddImagingProcedure command,
        TimeProvider clock)
    {
        var procedure = new ImagingProcedure
        {
            Id = command.Code!, Name = command.Name!.Trim(), Modality = command.Modality!, BodySite = command.BodySite!.Trim(),
            Preparation = command.Preparation?.Trim() ?? "", PriceCode = command.PriceCode!.Trim(),
        };
        // No route reads one procedure: the Location is the catalog that lists it.
        return (TypedResults.Created("/api/imaging/catalog", procedure),
            MartenOps.StartStream<ImagingProcedure>(ImagingCatalog.StreamOf(procedure.Id),
                new ImagingProcedureDefined(procedure, command.Reason?.Trim(), clock.GetUtcNow())));
    }
}
