using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using JasperFx.Events.Projections;

namespace Encounters.Patients;

/// <summary>A patient registered at a facility. MRNs are unique per tenant.</summary>
public record PatientRegistered(
    Guid PatientId,
    string FacilityId,
    string Mrn,
    string FullName,
    DateOnly DateOfBirth,
    AdministrativeSex Sex,
    string? Phone);

/// <summary>FHIR administrative gender.</summary>
public enum AdministrativeSex { Female, Male, Other, Unknown }

/// <summary>The patient record: kept inline with its events so MRN uniqueness is enforced in the same transaction.</summary>
public sealed partial class Patient
{
    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public string Mrn { get; set; } = "";
    public string FullName { get; set; } = "";
    public DateOnly DateOfBirth { get; set; }
    public AdministrativeSex Sex { get; set; }
    public string? Phone { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public int Version { get; set; }

    public static Patient Create(JasperFx.Events.IEvent<PatientRegistered> registered) => new()
    {
        Id = registered.Data.PatientId,
        FacilityId = registered.Data.FacilityId,
        Mrn = registered.Data.Mrn,
        FullName = registered.Data.FullName,
        DateOfBirth = registered.Data.DateOfBirth,
        Sex = registered.Data.Sex,
        Phone = registered.Data.Phone,
        RegisteredAt = registered.Timestamp,
        Version = 1,
    };
}

public static class PatientSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<Patient>(SnapshotLifecycle.Inline);
        opts.Schema.For<Patient>()
            .UniqueIndex(UniqueIndexType.Computed, "patient_mrn_per_tenant", TenancyScope.PerTenant, x => x.Mrn)
            .Index(x => x.FacilityId);
    }
}

/// <summary>What the API shows of a patient.</summary>
public record PatientResponse(Guid Id, string Mrn, string FullName, DateOnly DateOfBirth, AdministrativeSex Sex,
    string? Phone, DateTimeOffset RegisteredAt, long Version) : Scope.IVersioned
{
    public static PatientResponse From(Patient p) =>
        new(p.Id, p.Mrn, p.FullName, p.DateOfBirth, p.Sex, p.Phone, p.RegisteredAt, p.Version);
}
