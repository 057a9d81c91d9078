using System.Text.RegularExpressions;

namespace Encounters.Patients;

/// <summary>New values for the fields given (null: unchanged; "" clears an optional field), and why.</summary>
public record UpdateDemographics(string? FullName, DateOnly? DateOfBirth, AdministrativeSex? Sex, string? Phone, string? Address,
    string? NationalId, EmergencyContact? EmergencyContact, string? Reason);

public static partial class UpdateDemographicsEndpoint
{
    [GeneratedRegex(@"\A\+?[0-9 ()-]{5,20}\z")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"\A[A-Za-z0-9 /-]{3,32}\z")]
    private static partial Regex NationalIdShape();

    public static ProblemDetails Validate(UpdateDemographics command, [WriteAggregate] Patient patient, CurrentScope scope, TimeProvider clock) =>
        Errors(command, patient, clock);

    private static ProblemDetails Errors(UpdateDemographics command, Patient patient, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.FullName is not null) Requests.Limits.Text(errors, "fullName", command.FullName.Trim(), Requests.Limits.Name, required: true);
        if (command.DateOfBirth is { } dob && (dob > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) || dob < Requests.ClinicalDates.Earliest))
            errors["dateOfBirth"] = ["Must be a real date in the past."];
        if (command.Phone is { Length: > 0 } phone && !PhoneShape().IsMatch(phone))
            errors["phone"] = ["5-20 digits, spaces, '()', '-' and an optional leading '+'."];
        if (command.NationalId is { Length: > 0 } nid && !NationalIdShape().IsMatch(nid))
            errors["nationalId"] = ["3-32 of letters, digits, spaces, '/' and '-'."];
        Requests.Limits.Text(errors, "address", command.Address, Requests.Limits.Name);
        if (command.EmergencyContact is { } contact)
        {
            Requests.Limits.Text(errors, "emergencyContact.name", contact.Name, Requests.Limits.Name, required: true);
            Requests.Limits.Text(errors, "emergencyContact.relationship", contact.Relationship, Requests.Limits.Code);
            if (contact.Phone is null || !PhoneShape().IsMatch(contact.Phone)) errors["emergencyContact.phone"] = ["Required: a phone number."];
        }
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason, required: true);
        if (errors.Count == 0 && Changed(command, patient).Length == 0) errors["body"] = ["Nothing would change."];
        return Problems.Validation(errors);
    }

    /// <summary>Changes demographics (a misspelt name, a new phone); each change is an event with its reason.</summary>
    [WolverinePost("/api/patients/{id}/demographics", Name = "UpdateDemographics"), Authorize(Actions.UpdateDemographics)]
    public static (PatientResponse, Events) Post(UpdateDemographics command, [WriteAggregate] Patient patient, TimeProvider clock)
    {
        var e = new PatientDemographicsUpdated(patient.Id, command.FullName?.Trim() ?? patient.FullName, command.DateOfBirth ?? patient.DateOfBirth,
            command.Sex ?? patient.Sex, Value(command.Phone, patient.Phone), Value(command.Address, patient.Address),
            Value(command.NationalId, patient.NationalId), command.EmergencyContact ?? patient.EmergencyContact, Changed(command, patient),
            command.Reason!.Trim(), clock.GetUtcNow());
        var after = Patient.Create(new JasperFx.Events.Event<PatientRegistered>(
            new(patient.Id, patient.FacilityId, patient.Mrn, e.FullName, e.DateOfBirth, e.Sex, e.Phone)) { Timestamp = patient.RegisteredAt });
        after.Apply(e);
        return (PatientResponse.From(after, patient.Version + 1), [e]);
    }

    private static string? Value(string? given, string? current) => given is null ? current : given.Trim() is { Length: > 0 } v ? v : null;

    private static string[] Changed(UpdateDemographics c, Patient p) =>
        new (string Field, bool Differs)[]
        {
            ("fullName", c.FullName is not null && c.FullName.Trim() != p.FullName),
            ("dateOfBirth", c.DateOfBirth is { } d && d != p.DateOfBirth),
            ("sex", c.Sex is { } s && s != p.Sex),
            ("phone", c.Phone is not null && Value(c.Phone, p.Phone) != p.Phone),
            ("address", c.Address is not null && Value(c.Address, p.Address) != p.Address),
            ("nationalId", c.NationalId is not null && Value(c.NationalId, p.NationalId) != p.NationalId),
            ("emergencyContact", c.EmergencyContact is not null && c.EmergencyContact != p.EmergencyContact),
        }.Where(f => f.Differs).Select(f => f.Field).ToArray();
}
