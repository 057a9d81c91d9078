namespace Encounters.Scope;

// Every /api and /fhir GET declares one of these (Audit/ChartReads.cs refuses to start otherwise).

/// <summary>This GET shows patient data: each success records who saw which patients, durably, before the body is sent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadsChartAttribute(string resource) : Attribute
{
    public string Resource => resource;
    public string Purpose { get; init; } = "treatment";
}

/// <summary>This GET shows no patient data (catalogs, settings, status): it records no read.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoPatientDataAttribute : Attribute;


/// <summary>A response that names the patients it shows itself (a FHIR resource or Bundle), rather than by its properties.</summary>
public interface IShowsPatients
{
    IReadOnlyCollection<Guid> PatientsShown { get; }
}
