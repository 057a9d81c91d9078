namespace Encounters.Security;

public static class Roles
{
    public const string Receptionist = "receptionist";
    public const string Nurse = "nurse";
    public const string Clinician = "clinician";
    public const string LabTechnician = "lab_technician";
    public const string LabSupervisor = "lab_supervisor";
    public const string Auditor = "auditor";
    public const string FacilityAdmin = "facility_admin";

    public static readonly string[] All = [Receptionist, Nurse, Clinician, LabTechnician, LabSupervisor, Auditor, FacilityAdmin];
}

/// <summary>What an endpoint needs; each endpoint declares one with <c>[Authorize(Actions.X)]</c>.</summary>
public static class Actions
{
    public const string RegisterPatient = "patient.register";
    public const string ReadPatient = "patient.read";
    public const string PlanEncounter = "encounter.plan";
    public const string CheckIn = "encounter.check-in";
    public const string CancelEncounter = "encounter.cancel";
    public const string ReadEncounter = "encounter.read";
}

/// <summary>The permission matrix: the one place that says which role may do what.</summary>
public static class Permissions
{
    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Roles.Receptionist] = [Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CheckIn, Actions.CancelEncounter, Actions.ReadEncounter],
        [Roles.Nurse] = [Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CheckIn, Actions.ReadEncounter],
        [Roles.Clinician] = [Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CancelEncounter, Actions.ReadEncounter],
        [Roles.LabTechnician] = [Actions.ReadPatient, Actions.ReadEncounter],
        [Roles.LabSupervisor] = [Actions.ReadPatient, Actions.ReadEncounter],
        // Auditors read everything and write nothing.
        [Roles.Auditor] = [Actions.ReadPatient, Actions.ReadEncounter],
        [Roles.FacilityAdmin] = [Actions.ReadPatient, Actions.ReadEncounter],
    };

    public static bool Allows(string role, string action) =>
        Matrix.TryGetValue(role, out var actions) && actions.Contains(action);

    public static IEnumerable<string> RolesAllowedTo(string action) =>
        Matrix.Where(entry => entry.Value.Contains(action)).Select(entry => entry.Key);

    public static IEnumerable<string> AllActions => Matrix.Values.SelectMany(a => a).Distinct();
}
