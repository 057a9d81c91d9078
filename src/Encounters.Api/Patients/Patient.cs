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

/// <summary>Someone to call for the patient (FHIR Patient.contact).</summary>
public record EmergencyContact(string? Name, string? Relationship, string? Phone);

/// <summary>
/// A correction or change of demographics, with the values after it (all of them, so any past state is one event away)
/// and which fields changed. The previous values stay readable (<c>?asOf=</c>, <c>?version=</c>).
/// </summary>
public record PatientDemographicsUpdated(Guid PatientId, string FullName, DateOnly DateOfBirth, AdministrativeSex Sex, string? Phone,
    string? Address, string? NationalId, EmergencyContact? EmergencyContact, string[] Changed, string Reason, DateTimeOffset UpdatedAt);

/// <summary>FHIR administrative gender.</summary>
public enum AdministrativeSex { Female, Male, Other, Unknown }

/// <summary>The patient record: kept inline with its events so MRN uniqueness is enforced in the same transaction.</summary>
public sealed partial class Patient : Scope.IFacilityScoped, Scope.IPatientChart
{
    Guid Scope.IPatientChart.PatientId => Id;
    public static string Resource => "Patient";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public string Mrn { get; set; } = "";
    public string FullName { get; set; } = "";
    public DateOnly DateOfBirth { get; set; }
    public AdministrativeSex Sex { get; set; }
    public string? Phone { get; set; }

    /// <summary>The phone's digits alone, so a search finds "+234 801 555 0101" by "08015550101"'s tail or in any spacing.</summary>
    public string? PhoneDigits { get; set; }

    public string? Address { get; set; }
    public string? NationalId { get; set; }
    public EmergencyContact? EmergencyContact { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public long Version { get; set; }

    public static Patient Create(JasperFx.Events.IEvent<PatientRegistered> registered) => new()
    {
        Id = registered.Data.PatientId,
        FacilityId = registered.Data.FacilityId,
        Mrn = registered.Data.Mrn,
        FullName = registered.Data.FullName,
        DateOfBirth = registered.Data.DateOfBirth,
        Sex = registered.Data.Sex,
        Phone = registered.Data.Phone,
        PhoneDigits = Digits(registered.Data.Phone),
        RegisteredAt = registered.Timestamp,
        Version = 1,
    };

    public void Apply(PatientDemographicsUpdated e)
    {
        (FullName, DateOfBirth, Sex, Phone, PhoneDigits) = (e.FullName, e.DateOfBirth, e.Sex, e.Phone, Digits(e.Phone));
        (Address, NationalId, EmergencyContact) = (e.Address, e.NationalId, e.EmergencyContact);
    }

    public static string? Digits(string? phone) => phone is null ? null : new string(phone.Where(char.IsAsciiDigit).ToArray());
}

public static class PatientSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<Patient>(SnapshotLifecycle.Inline);
        opts.Schema.For<Patient>()
            .UniqueIndex(UniqueIndexType.Computed, "patient_mrn_per_tenant", TenancyScope.PerTenant, x => x.Mrn)
            .Index(x => x.FacilityId);
        opts.Events.AddEventTypes([typeof(PatientDemographicsUpdated), typeof(AllergyIntoleranceRecorded),
            typeof(AllergyIntoleranceStatusChanged), typeof(NoKnownAllergiesRecorded), typeof(ConditionRecorded),
            typeof(ConditionStatusChanged)]);
    }
}

/// <summary>What the API shows of a patient.</summary>
public record PatientResponse(Guid Id, string Mrn, string FullName, DateOnly DateOfBirth, AdministrativeSex Sex,
    string? Phone, string? Address, string? NationalId, EmergencyContact? EmergencyContact, DateTimeOffset RegisteredAt,
    long Version) : Scope.IVersioned
{
    public static PatientResponse From(Patient p) => From(p, p.Version);

    public static PatientResponse From(Patient p, long version) =>
        new(p.Id, p.Mrn, p.FullName, p.DateOfBirth, p.Sex, p.Phone, p.Address, p.NationalId, p.EmergencyContact, p.RegisteredAt, version);
}
