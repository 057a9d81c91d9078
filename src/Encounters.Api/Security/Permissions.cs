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
    public const string Pharmacist = "pharmacist";
    public const string BillingOfficer = "billing_officer";
    public const string Radiographer = "radiographer", Radiologist = "radiologist";

    /// <summary>An auditor whose reach is the whole tenant (a compliance office), not only the facilities of their token.</summary>
    public const string TenantAuditor = "tenant_auditor";

    /// <summary>Configures what every facility of the tenant shares: the lab catalog.</summary>
    public const string TenantAdmin = "tenant_admin";

    public static readonly string[] All = [Receptionist, Nurse, Clinician, LabTechnician, LabSupervisor, Auditor, FacilityAdmin, TenantAuditor, TenantAdmin, Pharmacist, BillingOfficer, Radiographer, Radiologist];
}

/// <summary>What an endpoint needs; each endpoint declares one with <c>[Authorize(Actions.X)]</c>.</summary>
public static class Actions
{
    public const string RegisterPatient = "patient.register";
    public const string ReadPatient = "patient.read";
    public const string PlanEncounter = "encounter.plan";
    public const string CheckIn = "encounter.check-in";
    public const string CancelEncounter = "encounter.cancel";
    public const string MarkNoShow = "encounter.no-show";
    public const string RecordVitals = "encounter.vitals";
    public const string StartConsult = "encounter.start-consult";
    public const string Document = "encounter.document";
    public const string StepOut = "encounter.step-out";
    public const string CloseEncounter = "encounter.close";
    public const string MarkEnteredInError = "encounter.entered-in-error";
    public const string ReadEncounter = "encounter.read";
    // What a chart shows beyond the front desk's view (minimum necessary): triage data, and clinical content.
    public const string ReadTriage = "chart.triage.read";
    public const string ReadClinical = "chart.clinical.read";
    public const string ReadTimeline = "encounter.timeline.read";
    public const string BreakGlass = "chart.emergency-access";
    public const string ReadSettings = "facility.settings.read";
    public const string ReadCatalog = "lab.catalog.read";
    public const string ManageCatalog = "lab.catalog.write";
    public const string PlaceOrder = "order.place";
    public const string CancelOrder = "order.cancel";
    public const string ReadOrder = "order.read";
    public const string CollectSample = "sample.collect";
    public const string ReceiveSample = "sample.receive";
    public const string ReadSample = "sample.read";
    public const string EnterResult = "result.enter";
    public const string VerifyResult = "result.verify";
    public const string ReleaseResult = "result.release";
    public const string AcknowledgeResult = "result.acknowledge";
    public const string ReadResult = "result.read";
    public const string ReadWorklist = "lab.worklist.read";
    public const string ReadAudit = "audit.read";
    public const string ReadAuditAcrossFacilities = "audit.read.tenant";
    public const string ReadProjections = "admin.projections.read";
    public const string ReadTasks = "task.read";
    public const string WorkTasks = "task.work";
    public const string ConfigureFacility = "facility.settings.write";
    public const string UpdateDemographics = "patient.demographics.write";
    public const string RecordAllergy = "patient.allergy.write";
    public const string ReadAllergies = "patient.allergy.read";
    public const string RecordProblem = "patient.problem.write";
    public const string ReadProblems = "patient.problem.read";
    public const string ReadFormulary = "formulary.read";
    public const string ManageFormulary = "formulary.write";
    public const string Prescribe = "medication.prescribe";
    public const string ChangePrescription = "medication.status";
    public const string ReadMedications = "medication.read";
    public const string DispenseMedication = "medication.dispense";
    public const string ReadPharmacyWorklist = "pharmacy.worklist.read";
    public const string ManageSchedule = "schedule.write";
    public const string ReadSchedule = "schedule.read";
    public const string BookAppointment = "appointment.book";
    public const string ManageAppointment = "appointment.manage";
    public const string ReadAppointment = "appointment.read";
    public const string ManagePrices = "billing.prices.write";
    public const string ReadPrices = "billing.prices.read";
    public const string ReadInvoice = "invoice.read";
    public const string IssueInvoice = "invoice.issue";
    public const string RecordPayment = "invoice.payment";
    public const string ReadBillingReport = "billing.report.read";
    public const string OrderImaging = "imaging.order", ReadImaging = "imaging.read", PerformImaging = "imaging.perform",
        ReportImaging = "imaging.report", VerifyImaging = "imaging.verify", ReleaseImaging = "imaging.release",
        ReadImagingWorklist = "imaging.worklist.read", ReadImagingCatalog = "imaging.catalog.read", ManageImagingCatalog = "imaging.catalog.write";
}

/// <summary>The permission matrix: the one place that says which role may do what.</summary>
public static partial class Permissions
{
    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Roles.Receptionist] =
        [
            Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CheckIn, Actions.CancelEncounter,
            Actions.MarkNoShow, Actions.ReadEncounter, Actions.UpdateDemographics,
            // The front desk books and checks in, and sees invoices, but no clinical content.
            Actions.ReadSchedule, Actions.BookAppointment, Actions.ManageAppointment, Actions.ReadAppointment, Actions.ReadInvoice,
            Actions.ReadPrices,
        ],
        [Roles.Nurse] =
        [
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CheckIn, Actions.RecordVitals,
            Actions.StepOut, Actions.ReadEncounter, Actions.ReadTriage, Actions.ReadCatalog, Actions.ReadOrder, Actions.CollectSample,
            Actions.ReadSample, Actions.ReadResult, Actions.ReadWorklist,
            // Nurses take the allergy history at triage.
            Actions.ReadAllergies, Actions.RecordAllergy, Actions.ReadFormulary,
            Actions.ReadAppointment, Actions.ReadSchedule,
        ],
        [Roles.Clinician] =
        [
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.RegisterPatient, Actions.ReadPatient, Actions.PlanEncounter, Actions.CancelEncounter, Actions.RecordVitals,
            Actions.StartConsult, Actions.Document, Actions.StepOut, Actions.CloseEncounter, Actions.ReadEncounter, Actions.ReadTriage,
            Actions.ReadClinical, Actions.ReadTimeline, Actions.BreakGlass,
            Actions.ReadSettings, Actions.ReadCatalog, Actions.PlaceOrder, Actions.CancelOrder, Actions.ReadOrder, Actions.ReadSample,
            Actions.AcknowledgeResult, Actions.ReadResult,
            Actions.UpdateDemographics, Actions.ReadAllergies, Actions.RecordAllergy, Actions.ReadProblems, Actions.RecordProblem,
            Actions.ReadFormulary, Actions.Prescribe, Actions.ChangePrescription, Actions.ReadMedications,
            Actions.ReadSchedule, Actions.BookAppointment, Actions.ManageAppointment, Actions.ReadAppointment,
            Actions.ReadImagingCatalog, Actions.OrderImaging, Actions.ReadImaging,
        ],
        // Radiographers perform the study (or say why not); radiologists report it and verify each other's reports.
        [Roles.Radiographer] = [Actions.ReadTasks, Actions.WorkTasks, Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadImagingCatalog,
            Actions.ReadImaging, Actions.PerformImaging, Actions.ReadImagingWorklist],
        [Roles.Radiologist] = [Actions.ReadTasks, Actions.WorkTasks, Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadImagingCatalog,
            Actions.ReadImaging, Actions.ReportImaging, Actions.VerifyImaging, Actions.ReleaseImaging, Actions.ReadImagingWorklist],
        // Pharmacists check a prescription against the patient's allergies and problems, and dispense it.
        [Roles.Pharmacist] =
        [
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.ReadPatient, Actions.ReadAllergies, Actions.ReadProblems, Actions.ReadFormulary, Actions.ReadMedications,
            Actions.DispenseMedication, Actions.ReadPharmacyWorklist,
        ],
        [Roles.LabTechnician] =
        [
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadCatalog, Actions.ReadOrder, Actions.CollectSample,
            Actions.ReceiveSample, Actions.ReadSample, Actions.EnterResult, Actions.ReleaseResult, Actions.ReadResult, Actions.ReadWorklist,
        ],
        [Roles.LabSupervisor] =
        [
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadCatalog, Actions.ReadOrder, Actions.ReadSample, Actions.EnterResult,
            Actions.VerifyResult, Actions.ReleaseResult, Actions.ReadResult, Actions.ReadWorklist,
        ],
        // Auditors read everything (investigations) and write nothing; a receptionist's chart view is the front desk's.
        [Roles.Auditor] =
        [
            Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadTriage, Actions.ReadClinical, Actions.ReadTimeline, Actions.ReadSettings,
            Actions.ReadCatalog, Actions.ReadOrder, Actions.ReadSample, Actions.ReadResult, Actions.ReadWorklist, Actions.ReadAudit,
            Actions.ReadTasks, Actions.WorkTasks,
            Actions.ReadAllergies, Actions.ReadProblems, Actions.ReadFormulary, Actions.ReadMedications, Actions.ReadPharmacyWorklist,
            Actions.ReadSchedule, Actions.ReadAppointment, Actions.ReadPrices, Actions.ReadInvoice, Actions.ReadBillingReport,
            Actions.ReadImagingCatalog, Actions.ReadImaging, Actions.ReadImagingWorklist,
        ],
        [Roles.TenantAuditor] = [Actions.ReadAudit, Actions.ReadAuditAcrossFacilities],
        // The lab catalog is the tenant's (every facility orders from it), so only a tenant-level role changes it.
        [Roles.TenantAdmin] = [Actions.ReadCatalog, Actions.ManageCatalog, Actions.ReadSettings, Actions.ReadImagingCatalog, Actions.ManageImagingCatalog],
        // Admins correct the record (entered-in-error, post-close amendments) and configure the facility and catalog.
        [Roles.FacilityAdmin] =
        [
            Actions.ReadPatient, Actions.ReadEncounter, Actions.ReadTriage, Actions.ReadClinical, Actions.ReadTimeline, Actions.Document,
            Actions.MarkEnteredInError, Actions.ReadSettings,
            Actions.ConfigureFacility, Actions.ReadCatalog, Actions.ReadOrder, Actions.ReadSample,
            Actions.ReadResult, Actions.ReadWorklist, Actions.ReadAudit, Actions.ReadProjections, Actions.ReadTasks,
            Actions.ReadFormulary, Actions.ManageFormulary,
            Actions.ManageSchedule, Actions.ReadSchedule, Actions.ReadAppointment, Actions.ManagePrices, Actions.ReadPrices,
            Actions.ReadInvoice, Actions.ReadBillingReport, Actions.ReadImagingCatalog, Actions.ReadImaging, Actions.ReadImagingWorklist,
        ],
        // Billing sees charges, invoices and payments (no clinical notes or results) and settles the account.
        [Roles.BillingOfficer] =
        [
            Actions.ReadPrices, Actions.ReadInvoice, Actions.IssueInvoice, Actions.RecordPayment, Actions.ReadBillingReport,
            Actions.ReadAppointment,
        ],
    };

    /// <summary>
    /// Staffing rules a facility may switch on (as configuration events): each grants one role one more action, for
    /// clinics staffed unlike the matrix's default (DSI-TB: technicians verify, never their own entry; a doctor
    /// checks a walk-in in alone).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Role, string Action)> StaffingGrants =
        new Dictionary<string, (string Role, string Action)>
        {
            ["technicians-verify"] = (Roles.LabTechnician, Actions.VerifyResult),
            ["clinicians-check-in"] = (Roles.Clinician, Actions.CheckIn),
        };
}
