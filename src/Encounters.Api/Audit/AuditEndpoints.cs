using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Encounters.Audit;

public record AuditFilter(Guid? PatientId, string? UserId, DateTimeOffset? From, DateTimeOffset? To, string? Action, string? FacilityId = null)
{
    /// <summary>What the caller may see: the facility of the request, or every facility for a tenant-wide auditor.</summary>
    public AuditFilter For(CurrentScope scope) =>
        this with { FacilityId = Permissions.AnyRoleAllows(scope.User, Actions.ReadAuditAcrossFacilities) ? null : scope.FacilityId };

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> query)
    {
        if (FacilityId is not null) query = query.Where(a => a.FacilityId == FacilityId);
        if (PatientId is { } patient) query = query.Where(a => a.PatientId == patient);
        if (!string.IsNullOrWhiteSpace(UserId)) query = query.Where(a => a.UserId == UserId);
        if (From is { } from) query = query.Where(a => a.At >= from);
        if (To is { } to) query = query.Where(a => a.At < to);
        if (!string.IsNullOrWhiteSpace(Action)) query = query.Where(a => a.Action == Action || a.Action.StartsWith(Action + "."));
        return query.OrderBy(a => a.Sequence);
    }
}

public static class QueryAuditEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after, DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Paging.Errors(page, pageSize, after).Concat(Requests.ClinicalDates.Window(from, to, required: false)).ToDictionary());

    /// <summary>The tenant's audit trail, filtered by patient, user, time and action, in the order things happened.</summary>
    [ReadsChart("audit", Purpose = "audit")]
    [WolverineGet("/api/audit", Name = "QueryAudit"), Authorize(Actions.ReadAudit)]
    public static async Task<Page<AuditEntry>> Get(Guid? patientId, string? userId, DateTimeOffset? from, DateTimeOffset? to,
        string? action, int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        return await new AuditFilter(patientId, userId, from, to, action).For(scope).Apply(session.Query<AuditEntry>())
            .PageAsync(page, pageSize, ct, after, count);
    }
}

public static class ExportAuditEndpoint
{
    public static ProblemDetails Validate(string? format, DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(new Dictionary<string, string[]>(
            (format is null or "ndjson" or "csv" ? [] : new[] { KeyValuePair.Create("format", new[] { "ndjson or csv." }) })
            .Concat(Requests.ClinicalDates.Window(from, to, required: true))));

    /// <summary>
    /// Streams the audit trail for a period as NDJSON (default) or CSV, one entry at a time from the
    /// database cursor to the response, so memory stays flat however many entries there are.
    /// </summary>
    [ReadsChart("audit.export", Purpose = "audit")]
    [WolverineGet("/api/audit/export", Name = "ExportAudit"), Authorize(Actions.ReadAudit)]
    public static async Task Get(string? format, DateTimeOffset? from, DateTimeOffset? to, Guid? patientId, string? userId,
        string? action, IQuerySession session, CurrentScope scope, HttpResponse response, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        // The trail as it stood when the export was asked for: the query's one statement starts (and takes its snapshot) before
        // the export's own record is written, so the export never races the audit daemon into listing itself.
        var query = new AuditFilter(patientId, userId, from, to, action).For(scope).Apply(session.Query<AuditEntry>());
        await using var entries = query.ToAsyncEnumerable(ct).GetAsyncEnumerator(ct);
        var more = await entries.MoveNextAsync();
        await ChartReads.RecordExportAsync(response.HttpContext, session.DocumentStore, scope);
        var csv = format == "csv";
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=audit.{(csv ? "csv" : "ndjson")}";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 64 * 1024);
        if (csv) await writer.WriteLineAsync(CsvHeader);
        for (; more; more = await entries.MoveNextAsync())
            await writer.WriteLineAsync(csv ? CsvLine(entries.Current) : JsonSerializer.Serialize(entries.Current, json.Value.SerializerOptions));
    }

    private const string CsvHeader =
        "sequence,at,tenantId,facilityId,userId,userName,role,action,streamId,streamVersion,patientId,clientIp,userAgent,correlationId,previousHash,hash";

    private static string CsvLine(AuditEntry a) => string.Join(',', new object?[]
    {
        a.Sequence, a.At.UtcDateTime.ToString("O"), a.TenantId, a.FacilityId, a.UserId, a.UserName, a.Role, a.Action, a.StreamId,
        a.StreamVersion, a.PatientId, a.ClientIp, a.UserAgent, a.CorrelationId, a.PreviousHash, a.Hash,
    }.Select(v => Csv(v?.ToString() ?? "")));

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
