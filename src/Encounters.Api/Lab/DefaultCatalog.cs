using Encounters.Patients;

namespace Encounters.Lab;

/// <summary>
/// The catalog every tenant starts with: common outpatient tests with LOINC codes, UCUM units, adult
/// reference ranges (by sex where they differ) and critical limits as typically set by hospital labs.
/// </summary>
public static class DefaultCatalog
{
    private static readonly Specimen EdtaBlood = new("whole blood", "EDTA tube (lavender top)");
    private static readonly Specimen Serum = new("serum", "serum separator tube (gold top)");
    private static readonly Specimen Urine = new("urine", "sterile urine container");
    private static readonly Specimen Sputum = new("sputum", "sterile screw-capped sputum container");
    private static readonly Specimen FingerPrick = new("capillary blood", "finger-prick to rapid test cassette");

    /// <summary>A coded analyte; its answers carry their flags.</summary>
    private static Analyte Coded(string loinc, string name, params CodedValue[] answers) =>
        new(loinc, name, "", [], Type: ResultValueType.Coded, ValueSet: answers);

    private static CodedValue Normal(string code, string display) => new(code, display);
    private static CodedValue Abnormal(string code, string display) => new(code, display, Abnormal: true);
    private static CodedValue Critical(string code, string display) => new(code, display, Abnormal: true, Critical: true);
    private static readonly CodedValue Invalid = Normal("invalid", "Invalid (repeat the test)");

    private static ReferenceRange[] Range(decimal? low, decimal? high) => [new(low, high)];

    private static ReferenceRange[] BySex(decimal femaleLow, decimal femaleHigh, decimal maleLow, decimal maleHigh) =>
    [
        new(femaleLow, femaleHigh, AdministrativeSex.Female), new(maleLow, maleHigh, AdministrativeSex.Male),
        new(Math.Min(femaleLow, maleLow), Math.Max(femaleHigh, maleHigh)),
    ];

    private static LabTest Test(string code, string loinc, string name, Specimen specimen, params Analyte[] analytes) =>
        new() { Id = code, Loinc = loinc, Name = name, Specimen = specimen, Analytes = analytes };

    public static readonly IReadOnlyList<LabTest> Tests =
    [
        Test("CBC", "58410-2", "Complete blood count (automated)", EdtaBlood,
            new Analyte("6690-2", "Leukocytes", "10*3/uL", Range(4.0m, 11.0m), 2.0m, 30.0m),
            new Analyte("789-8", "Erythrocytes", "10*6/uL", BySex(4.2m, 5.4m, 4.7m, 6.1m)),
            new Analyte("718-7", "Hemoglobin", "g/dL",
                [.. BySex(12.0m, 15.5m, 13.5m, 17.5m), new(11.0m, 13.5m, AgeFromYears: 1, AgeToYears: 12)], 7.0m, 20.0m),
            new Analyte("4544-3", "Hematocrit", "%", BySex(36m, 46m, 41m, 53m), 20m, 60m),
            new Analyte("787-2", "Mean corpuscular volume", "fL", Range(80m, 100m)),
            new Analyte("777-3", "Platelets", "10*3/uL", Range(150m, 400m), 50m, 1000m)),
        Test("CRP", "1988-5", "C reactive protein", Serum,
            new Analyte("1988-5", "C reactive protein", "mg/L", Range(0m, 5m))),
        Test("GLU", "2345-7", "Glucose", Serum,
            new Analyte("2345-7", "Glucose", "mg/dL", Range(70m, 99m), 40m, 500m)),
        Test("NA", "2951-2", "Sodium", Serum,
            new Analyte("2951-2", "Sodium", "mmol/L", Range(136m, 145m), 120m, 160m)),
        Test("K", "2823-3", "Potassium", Serum,
            new Analyte("2823-3", "Potassium", "mmol/L", Range(3.5m, 5.1m), 2.8m, 6.2m)),
        Test("CL", "2075-0", "Chloride", Serum,
            new Analyte("2075-0", "Chloride", "mmol/L", Range(98m, 107m), 80m, 120m)),
        Test("HCO3", "1963-8", "Bicarbonate", Serum,
            new Analyte("1963-8", "Bicarbonate", "mmol/L", Range(22m, 29m), 10m, 40m)),
        Test("BUN", "3094-0", "Urea nitrogen", Serum,
            new Analyte("3094-0", "Urea nitrogen", "mg/dL", Range(7m, 20m), null, 100m)),
        Test("CREAT", "2160-0", "Creatinine", Serum,
            new Analyte("2160-0", "Creatinine", "mg/dL", BySex(0.59m, 1.04m, 0.74m, 1.35m), null, 7.0m)),
        Test("ALT", "1742-6", "Alanine aminotransferase", Serum,
            new Analyte("1742-6", "Alanine aminotransferase", "U/L", Range(7m, 56m))),
        Test("ALB", "1751-7", "Albumin", Serum,
            new Analyte("1751-7", "Albumin", "g/dL", Range(3.5m, 5.0m))),
        Test("HBA1C", "4548-4", "Hemoglobin A1c", EdtaBlood,
            new Analyte("4548-4", "Hemoglobin A1c/Hemoglobin.total", "%", Range(4.0m, 5.6m))),
        Test("LIPID", "57698-3", "Lipid panel", Serum,
            new Analyte("2093-3", "Cholesterol", "mg/dL", Range(null, 200m)),
            new Analyte("2571-8", "Triglyceride", "mg/dL", Range(null, 150m), null, 1000m),
            new Analyte("2085-9", "HDL cholesterol", "mg/dL", Range(40m, null)),
            new Analyte("18262-6", "LDL cholesterol (direct)", "mg/dL", Range(null, 100m))),
        Test("TSH", "3016-3", "Thyrotropin", Serum,
            new Analyte("3016-3", "Thyrotropin", "m[IU]/L", Range(0.4m, 4.0m))),
        Test("UA", "24356-8", "Urinalysis (test strip)", Urine,
            new Analyte("5803-2", "pH of Urine", "[pH]", Range(5.0m, 8.0m)),
            new Analyte("5811-5", "Specific gravity of Urine", "1", Range(1.005m, 1.030m)),
            new Analyte("5792-7", "Glucose in Urine", "mg/dL", Range(null, 15m)),
            new Analyte("5804-0", "Protein in Urine", "mg/dL", Range(null, 14m))),
        // TB and point-of-care tests report answers, not numbers. Rifampicin resistance (reported only when MTB is
        // detected) is critical: MDR-TB changes the regimen and calls for contact tracing the same day.
        Test("XPERT", "85362-2", "GeneXpert MTB/RIF", Sputum,
            Coded("85362-2", "Mycobacterium tuberculosis complex DNA", Abnormal("detected", "MTB detected"),
                Normal("not-detected", "MTB not detected"), Invalid, Normal("error", "Error (repeat the test)")),
            Coded("48176-2", "Rifampicin resistance (rpoB)", Critical("detected", "RIF resistance detected"),
                Normal("not-detected", "RIF resistance not detected"), Abnormal("indeterminate", "RIF resistance indeterminate"))),
        Test("AFB", "11545-1", "Sputum smear microscopy (AFB)", Sputum,
            new Analyte("11545-1", "Acid-fast bacilli (smear)", "", [], Type: ResultValueType.Ordinal, ValueSet:
            [
                Normal("negative", "No AFB seen"), Abnormal("scanty", "Scanty (1-9 AFB per 100 fields)"),
                Abnormal("1+", "1+ (10-99 AFB per 100 fields)"), Abnormal("2+", "2+ (1-10 AFB per field)"),
                Abnormal("3+", "3+ (more than 10 AFB per field)"),
            ])),
        Test("TBCULT", "543-9", "TB culture", Sputum,
            Coded("543-9", "Mycobacterium culture", Normal("negative", "No mycobacteria isolated"),
                Abnormal("mtb-complex", "M. tuberculosis complex isolated"), Abnormal("ntm", "Non-tuberculous mycobacteria isolated"),
                Normal("contaminated", "Contaminated (repeat the culture)")),
            new Analyte("48767-8", "Culture comment", "", [], Type: ResultValueType.Text)),
        Test("HIVRDT", "68961-2", "HIV 1+2 rapid test", FingerPrick,
            Coded("68961-2", "HIV 1+2 antibodies", Normal("non-reactive", "Non-reactive"),
                Abnormal("reactive", "Reactive (confirm per the national algorithm)"), Invalid)),
        Test("MRDT", "70569-9", "Malaria rapid diagnostic test", FingerPrick,
            Coded("70569-9", "Plasmodium antigen", Normal("negative", "Negative"), Abnormal("p-falciparum", "P. falciparum detected"),
                Abnormal("pan", "Non-falciparum (pan) detected"), Abnormal("mixed", "Mixed infection"), Invalid)),
        Test("UPT", "2106-3", "Urine pregnancy test", Urine,
            Coded("2106-3", "hCG in urine", Normal("negative", "Negative"), Abnormal("positive", "Positive"), Invalid)),
    ];
}
