using Encounters.Audit;
using Encounters.Patients;
using Marten.Pagination;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR Patient from the patient stream, folded by the Patients module's own model; the MRN is a per-tenant identifier.</summary>
public static class FhirPatient
{
    public static readonly FhirStream<Patient> Source = new("Patient",
        e => e is PatientRegistered r ? new StreamOwner(r.FacilityId, r.PatientId) : null, fold => Map(fold.State, fold.Tenant));

    public static R4.Patient Map(Patient p, string tenant)
    {
        var patient = new R4.Patient
        {
            Active = true,
            Identifier =
            [
                new R4.Identifier(FhirLinks.System(tenant, "mrn"), p.Mrn)
                {
                    Use = R4.Identifier.IdentifierUse.Official,
                    Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
                },
            ],
            Name = [new R4.HumanName { Text = p.FullName, Use = R4.HumanName.NameUse.Official }],
            Gender = p.Sex switch
            {
                AdministrativeSex.Female => R4.AdministrativeGender.Female,
                AdministrativeSex.Male => R4.AdministrativeGender.Male,
                AdministrativeSex.Other => R4.AdministrativeGender.Other,
                _ => R4.AdministrativeGender.Unknown,
            },
            BirthDate = p.DateOfBirth.ToString("yyyy-MM-dd"),
        };
        if (p.NationalId is { Length: > 0 } nationalId) patient.Identifier.Add(new R4.Identifier(FhirLinks.System(tenant, "national-id"), nationalId));
        if (p.Phone is { Length: > 0 } phone) patient.Telecom.Add(new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Phone, null, phone));
        if (p.Address is { Length: > 0 } address) patient.Address.Add(new R4.Address { Text = address });
        if (p.EmergencyContact is { } contact)
            patient.Contact.Add(new R4.Patient.ContactComponent
            {
                Name = contact.Name is null ? null : new R4.HumanName { Text = contact.Name },
                Relationship = contact.Relationship is null ? [] : [new R4.CodeableConcept { Text = contact.Relationship }],
                Telecom = contact.Phone is null ? [] : [new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Phone, null, contact.Phone)],
            });
        return patient;
    }

    /// <summary>A patient of this facility (or under the caller's break-glass grant), as it stands now.</summary>
    [ReadsChart("fhir.patient")]
    [WolverineGet("/fhir/Patient/{id}", Name = "ReadFhirPatient"), Authorize(Actions.ReadPatient)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The patient at one version of its stream.</summary>
    [ReadsChart("fhir.patient")]
    [WolverineGet("/fhir/Patient/{id}/_history/{vid}", Name = "VreadFhirPatient"), Authorize(Actions.ReadPatient)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the patient, newest first, from its events.</summary>
    [ReadsChart("fhir.patient.history")]
    [WolverineGet("/fhir/Patient/{id}/_history", Name = "FhirPatientHistory"), Authorize(Actions.ReadPatient)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);

    /// <summary>
    /// Patients of this facility by <c>identifier</c> (MRN or national id, optionally <c>system|value</c>), <c>name</c> (contains),
    /// <c>birthdate</c> (FHIR date search) or <c>phone</c> (digits, any spacing).
    /// </summary>
    [ReadsChart("fhir.patient.search")]
    [WolverineGet("/fhir/Patient", Name = "SearchFhirPatients"), Authorize(Actions.ReadPatient)]
    public static async Task<FhirResponse> Search(string? identifier, string? name, string? birthdate, string? phone, int? _count,
        int? _page, HttpRequest request, IQuerySession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        if ((FhirLinks.Unsupported(request, "identifier", "name", "birthdate", "phone") ?? FhirPage.Error(_count, _page, request)) is { } refused)
            return refused;
        var (born, error) = FhirDateRange.Parse("birthdate", request.Query["birthdate"], clock.GetUtcNow());
        if (born is null) return FhirResponse.Invalid(error!);

        var query = session.Query<Patient>().Where(p => p.FacilityId == scope.FacilityId);
        if (identifier is not null)
        {
            var (system, value) = identifier.Contains('|') ? (identifier[..identifier.IndexOf('|')], identifier[(identifier.IndexOf('|') + 1)..]) : ("", identifier);
            var mrn = system is "" || system == FhirLinks.System(scope.TenantId, "mrn");
            var national = system is "" || system == FhirLinks.System(scope.TenantId, "national-id");
            query = query.Where(p => (mrn && p.Mrn == value) || (national && p.NationalId == value));
        }
        if (name is not null) query = query.Where(p => p.FullName.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (phone is not null)
        {
            var digits = Patient.Digits(phone) is { Length: >= 5 } d ? d : "-";
            query = query.Where(p => p.PhoneDigits == digits);
        }
        if (born != FhirDateRange.Always) query = query.Where(p => p.DateOfBirth >= born.FromDay && p.DateOfBirth < born.ToDay);

        var paging = FhirPage.Of(_count, _page, request);
        var found = await paging.Read(query.OrderBy(p => p.FullName).ThenBy(p => p.Id), ct);
        return await FhirSearch.PageAsync(Source, found.Items.Select(p => (p.Id, p.Id.ToString(), p.Id)).ToList(), found.Total, found.HasMore,
            found.Next, paging,
            request, session, scope.TenantId, ct);
    }
}
