using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Minimum necessary, checked against the running service for every GET: which roles may read it, and which
/// fields of a chart each role sees. The table is written here, apart from the permission matrix, on purpose:
/// a change to the matrix that widens or narrows access shows up as a failure to look at.
/// </summary>
[Collection(ApiCollection.Name)]
public class RoleAccessTests(AppFixture app) : ChartTest(app)
{
    private const string Front = "receptionist", Nurse_ = "nurse", Doc = "clinician", Tech_ = "lab_technician", Sup = "lab_supervisor",
        Aud = "auditor", FacAdmin = "facility_admin", TenAud = "tenant_auditor", TenAdmin = "tenant_admin", Pharm = "pharmacist",
        Bill = "billing_officer", Rg = "radiographer", Rl = "radiologist";

    private static readonly string[] Everyone = [Front, Nurse_, Doc, Tech_, Sup, Aud, FacAdmin, TenAud, TenAdmin, Pharm, Bill, Rg, Rl];
    private static readonly string[] AppointmentReaders = [Front, Nurse_, Doc, Aud, FacAdmin, Bill];
    private static readonly string[] ChartReaders = [Front, Nurse_, Doc, Tech_, Sup, Aud, FacAdmin, Rg, Rl];
    private static readonly string[] ImagingReaders = [Doc, Rg, Rl, Aud, FacAdmin];
    private static readonly string[] LabReaders = [Nurse_, Doc, Tech_, Sup, Aud, FacAdmin];
    private static readonly string[] Clinical = [Doc, Aud, FacAdmin];
    private static readonly string[] AuditReaders = [Aud, FacAdmin, TenAud];

    /// <summary>Route → the roles that get 200 (every other role gets 403).</summary>
    private static readonly Dictionary<string, string[]> MayRead = new Dictionary<string, string[]>
    {
        ["/api/patients"] = [.. ChartReaders, Pharm], ["/api/patients/{id}"] = [.. ChartReaders, Pharm],
        ["/api/patients/{id}/encounters"] = ChartReaders,
        ["/api/patients/{id}/allergies"] = [Nurse_, Doc, Pharm, Aud], ["/api/patients/{id}/problems"] = [Doc, Pharm, Aud],
        ["/api/patients/{id}/medications"] = [Doc, Pharm, Aud], ["/api/encounters/{id}/prescriptions"] = [Doc, Pharm, Aud],
        ["/api/prescriptions/{id}"] = [Doc, Pharm, Aud], ["/api/pharmacy/worklist"] = [Pharm, Aud],
        ["/api/medications/formulary"] = [Nurse_, Doc, Pharm, Aud, FacAdmin],
        ["/api/appointments"] = AppointmentReaders, ["/api/appointments/{id}"] = AppointmentReaders,
        ["/api/patients/{id}/appointments"] = AppointmentReaders, ["/api/schedules/{clinicianId}/slots"] = [Front, Nurse_, Doc, Aud, FacAdmin],
        ["/api/billing/daily"] = [Aud, FacAdmin, Bill], ["/api/billing/daily/export"] = [Aud, FacAdmin, Bill],
        ["/api/encounters/{id}/invoice"] = [Front, Aud, FacAdmin, Bill], ["/api/billing/prices"] = [Front, Aud, FacAdmin, Bill],
        ["/api/encounters"] = ChartReaders, ["/api/encounters/{id}"] = ChartReaders,
        ["/api/encounters/{id}/documentation/{section}/versions"] = Clinical, ["/api/encounters/{id}/timeline"] = Clinical,
        ["/api/encounters/{id}/orders"] = LabReaders, ["/api/orders/{id}"] = LabReaders,
        ["/api/encounters/{id}/results"] = LabReaders, ["/api/lab/results/{id}"] = LabReaders, ["/api/lab/reports"] = LabReaders,
        ["/api/lab/samples"] = LabReaders, ["/api/lab/samples/{id}"] = LabReaders,
        ["/api/lab/catalog"] = [.. LabReaders, TenAdmin], ["/api/lab/worklist"] = [Nurse_, Tech_, Sup, Aud, FacAdmin],
        ["/api/lab/tat"] = [Nurse_, Tech_, Sup, Aud, FacAdmin], ["/api/tasks"] = [.. LabReaders, Pharm, Rg, Rl],
        ["/api/admin/close-gate"] = [Doc, Aud, FacAdmin, TenAdmin], ["/api/admin/staffing-rules"] = [Doc, Aud, FacAdmin, TenAdmin],
        ["/api/admin/projections"] = [FacAdmin],
        ["/api/imaging/catalog"] = [.. ImagingReaders, TenAdmin], ["/api/imaging/{id}"] = ImagingReaders,
        ["/api/encounters/{id}/imaging"] = ImagingReaders, ["/api/imaging/worklist"] = [Rg, Rl, Aud, FacAdmin],
        ["/api/imaging/tat"] = [Rg, Rl, Aud, FacAdmin], ["/api/admin/imaging-reading"] = [Doc, Aud, FacAdmin, TenAdmin],
        ["/api/audit"] = AuditReaders, ["/api/audit/export"] = AuditReaders, ["/api/audit/verify"] = AuditReaders,
        ["/api/audit/checkpoints"] = AuditReaders,
        // FHIR: the same reach as the /api read of the same record; the capability statement is everyone's.
        ["/fhir/metadata"] = Everyone,
    }.Concat(Fhir("Patient", [.. ChartReaders, Pharm], search: true)).Concat(Fhir("Encounter", ChartReaders, search: true))
        .Concat(Fhir("Observation", LabReaders, search: true)).Concat(Fhir("DiagnosticReport", LabReaders, search: true))
        .Concat(Fhir("ServiceRequest", LabReaders, search: true)).Concat(Fhir("Specimen", LabReaders, search: false))
        .Concat(Fhir("Task", [.. LabReaders, Pharm, Rg, Rl], search: true)).Concat(Fhir("AuditEvent", AuditReaders, search: false))
        .Concat(Fhir("Provenance", AuditReaders, search: false)).Concat(Fhir("AllergyIntolerance", [Nurse_, Doc, Pharm, Aud], search: false))
        .Concat(Fhir("Condition", [Doc, Pharm, Aud], search: false)).Concat(Fhir("MedicationRequest", [Doc, Pharm, Aud], search: false))
        .Concat(Fhir("Appointment", AppointmentReaders, search: false)).Concat(Fhir("ImagingStudy", ImagingReaders, search: true))
        .Concat(Fhir("ChargeItem", [Front, Aud, FacAdmin, Bill], search: true)).ToDictionary();

    /// <summary>The rows of one FHIR resource type: read, vread, _history and, where served, search.</summary>
    private static IEnumerable<KeyValuePair<string, string[]>> Fhir(string type, string[] roles, bool search) =>
        new[] { $"/fhir/{type}/{{id}}", $"/fhir/{type}/{{id}}/_history/{{vid}}", $"/fhir/{type}/{{id}}/_history" }
            .Concat(search ? [$"/fhir/{type}"] : []).Select(route => KeyValuePair.Create(route, roles));

    /// <summary>Role → the fields of an encounter it sees; the rest of <see cref="ChartFields"/> are left out.</summary>
    private static readonly string[] ChartFields = ["vitals", "documentation", "diagnoses", "results", "imagingReports", "orders"];

    private static readonly Dictionary<string, string[]> EncounterFields = new()
    {
        [Front] = [], [Nurse_] = ["vitals", "orders"], [Tech_] = ["orders"], [Sup] = ["orders"], [Doc] = ChartFields,
        [Aud] = ChartFields, [FacAdmin] = ChartFields, [Rg] = [], [Rl] = [],
    };

    [Fact]
    public async Task every_get_answers_each_role_as_the_table_says()
    {
        var chart = await Chart();
        await AtNoon(async () => await EveryRoleAsTheTableSays(await WithAppointment(chart)));
    }

    private async Task EveryRoleAsTheTableSays(Dictionary<string, string> values)
    {
        var gets = await Gets();
        gets.Select(g => g.Route).Except(MayRead.Keys).ShouldBeEmpty("a GET without a row in this table");

        foreach (var (route, operation) in gets)
            foreach (var role in Everyone)
            {
                var expected = MayRead[route].Contains(role) ? 200 : 403;
                await As(role, $"{role}-reader").Get(Url(route, operation, values), expected);
            }
    }

    [Fact]
    public async Task each_role_sees_the_fields_of_an_encounter_its_work_needs()
    {
        var values = await Chart();
        foreach (var (role, fields) in EncounterFields)
        {
            var encounter = (await As(role, $"{role}-reader").Get($"/api/encounters/{values["encounters"]}", 200)).Json.AsObject();
            encounter.ContainsKey("status").ShouldBeTrue();
            foreach (var field in ChartFields)
                encounter.ContainsKey(field).ShouldBe(fields.Contains(field), $"{role} and {field}");
        }
    }

    [Fact]
    public async Task the_api_reference_says_who_sees_a_role_shaped_field()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse((await App.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        var view = document["components"]!["schemas"]!["EncounterView"]!["properties"]!;
        view["documentation"]!["description"]!.ToString().ShouldContain("clinician");
        view["documentation"]!["description"]!.ToString().ShouldNotContain("receptionist");
    }
}
