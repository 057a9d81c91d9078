using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Patients;

public record RegisterPatient(string? FullName, DateOnly? DateOfBirth, AdministrativeSex? Sex, string? Phone, string? Mrn);

public static partial class RegisterPatientEndpoint
{
    [GeneratedRegex(@"\A\+?[0-9 ()-]{5,20}\z")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"\A[A-Za-z0-9-]{1,32}\z")]
    private static partial Regex MrnShape();

    public static ProblemDetails Validate(RegisterPatient command, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.FullName) || command.FullName.Trim().Length > 200)
            errors["fullName"] = ["Required, at most 200 characters."];
        if (command.DateOfBirth is not { } dob)
            errors["dateOfBirth"] = ["Required (yyyy-MM-dd)."];
        else if (dob > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) || dob < Requests.ClinicalDates.Earliest)
            errors["dateOfBirth"] = ["Must be a real date in the past."];
        if (command.Sex is null)
            errors["sex"] = ["Required: female, male, other or unknown."];
        if (command.Phone is not null && !PhoneShape().IsMatch(command.Phone))
            errors["phone"] = ["5-20 digits, spaces, '()', '-' and an optional leading '+'."];
        if (command.Mrn is not null && !MrnShape().IsMatch(command.Mrn))
            errors["mrn"] = ["1-32 characters of A-Z, a-z, 0-9 and '-'."];
        return Problems.Validation(errors);
    }

    [WolverinePost("/api/patients", Name = "RegisterPatient"), Authorize(Actions.RegisterPatient)]
    public static async Task<(Created<PatientResponse>, IStartStream)> Post(
        RegisterPatient command, CurrentScope scope, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // Generated MRNs come from a per-tenant counter in the same transaction: unique and gap-free.
        var mrn = command.Mrn ?? $"MRN-{await Sequences.NextAsync(session, "mrn", ct):D6}";
        var registered = new PatientRegistered(Guid.CreateVersion7(), scope.FacilityId, mrn, command.FullName!.Trim(),
            command.DateOfBirth!.Value, command.Sex!.Value, command.Phone);

        var patient = Patient.Create(new JasperFx.Events.Event<PatientRegistered>(registered) { Timestamp = clock.GetUtcNow() });
        return (TypedResults.Created($"/api/patients/{patient.Id}", PatientResponse.From(patient)),
            MartenOps.StartStream<Patient>(patient.Id, registered));
    }
}
