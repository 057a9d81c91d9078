using Encounters.Audit;

namespace Encounters.Encounters;

public static class GetDocumentationVersionsEndpoint
{
    // Every version is kept only in the events (the stored view holds the latest): fold them.
    public static Task<EncounterView?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<EncounterView>(id, token: ct);

    /// <summary>Every version of one SOAP section with who wrote it, when, and why it was amended.</summary>
    [ReadsChart("encounter.documentation")]
    [WolverineGet("/api/encounters/{id}/documentation/{section}/versions", Name = "GetDocumentationVersions"),
     Authorize(Actions.ReadClinical)]
    public static IReadOnlyList<NoteVersion>? Get(Guid id, string section, [NotBody] EncounterView? encounter) =>
        encounter is not null && DocumentSectionEndpoint.TryParseSection(section, out var noteSection)
            ? encounter.Notes.GetValueOrDefault(noteSection) ?? []
            : null;
}
