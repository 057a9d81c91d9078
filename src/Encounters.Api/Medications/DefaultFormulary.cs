namespace Encounters.Medications;

/// <summary>
/// The formulary every tenant starts with: essential medicines from the WHO Model List (adult oral doses unless the
/// form says otherwise). Dose ranges are per administration, in the amount unit; allergy classes drive the allergy check.
/// </summary>
public static class DefaultFormulary
{
    private static Medicine M(string code, string name, string atc, string form, decimal perUnit, string unit, string dispenseUnit,
        decimal min, decimal max, string? allergyClass = null, string route = "oral", string? strength = null) => new()
    {
        Id = code, Name = name, Atc = atc, Form = form, Strength = strength ?? $"{perUnit:0.##} {unit}", AmountPerUnit = perUnit,
        AmountUnit = unit, DispenseUnit = dispenseUnit, DefaultRoute = route, MinDose = min, MaxDose = max, AllergyClass = allergyClass,
        TherapeuticClass = Medicine.ClassOf(atc),
    };

    public static readonly IReadOnlyList<Medicine> Medicines =
    [
        M("AMOX-500", "Amoxicillin", "J01CA04", "capsule", 500, "mg", "capsule", 250, 1000, "penicillins"),
        M("AMOX-125S", "Amoxicillin oral suspension", "J01CA04", "suspension", 25, "mg", "mL", 62.5m, 500, "penicillins", strength: "125 mg/5 mL"),
        M("AMPI-500", "Ampicillin", "J01CA01", "powder for injection", 500, "mg", "vial", 500, 2000, "penicillins", "intravenous"),
        M("BENZPEN-600", "Benzylpenicillin", "J01CE01", "powder for injection", 600, "mg", "vial", 600, 2400, "penicillins", "intramuscular"),
        M("PENV-250", "Phenoxymethylpenicillin", "J01CE02", "tablet", 250, "mg", "tablet", 250, 500, "penicillins"),
        M("CLOX-500", "Cloxacillin", "J01CF02", "capsule", 500, "mg", "capsule", 250, 1000, "penicillins"),
        M("AMOXCLAV-625", "Amoxicillin + clavulanic acid", "J01CR02", "tablet", 500, "mg", "tablet", 500, 1000, "penicillins", strength: "500 mg + 125 mg"),
        M("CEFALEX-500", "Cefalexin", "J01DB01", "capsule", 500, "mg", "capsule", 250, 1000, "cephalosporins"),
        M("CEFTRI-1G", "Ceftriaxone", "J01DD04", "powder for injection", 1000, "mg", "vial", 1000, 2000, "cephalosporins", "intravenous"),
        M("AZITH-500", "Azithromycin", "J01FA10", "tablet", 500, "mg", "tablet", 250, 500, "macrolides"),
        M("ERYTH-250", "Erythromycin", "J01FA01", "tablet", 250, "mg", "tablet", 250, 1000, "macrolides"),
        M("DOXY-100", "Doxycycline", "J01AA02", "tablet", 100, "mg", "tablet", 100, 200, "tetracyclines"),
        M("CIPRO-500", "Ciprofloxacin", "J01MA02", "tablet", 500, "mg", "tablet", 250, 750, "fluoroquinolones"),
        M("COTRIM-960", "Sulfamethoxazole + trimethoprim", "J01EE01", "tablet", 800, "mg", "tablet", 400, 1600, "sulfonamides", strength: "800 mg + 160 mg"),
        M("SULFADIAZ-500", "Sulfadiazine", "J01EC02", "tablet", 500, "mg", "tablet", 500, 1500, "sulfonamides"),
        M("SP-525", "Sulfadoxine + pyrimethamine", "P01BD51", "tablet", 1, "tablet", "tablet", 1, 3, "sulfonamides", strength: "500 mg + 25 mg"),
        M("METRO-400", "Metronidazole", "P01AB01", "tablet", 400, "mg", "tablet", 200, 800, "nitroimidazoles"),
        M("NITRO-100", "Nitrofurantoin", "J01XE01", "capsule", 100, "mg", "capsule", 50, 100),
        M("AL-20/120", "Artemether + lumefantrine", "P01BF01", "tablet", 1, "tablet", "tablet", 1, 4, strength: "20 mg + 120 mg"),
        M("QUIN-300", "Quinine sulfate", "P01BC01", "tablet", 300, "mg", "tablet", 300, 600),
        M("PRIMA-15", "Primaquine", "P01BA03", "tablet", 15, "mg", "tablet", 7.5m, 30),
        M("INH-300", "Isoniazid", "J04AC01", "tablet", 300, "mg", "tablet", 100, 300),
        M("RIF-300", "Rifampicin", "J04AB02", "capsule", 300, "mg", "capsule", 150, 600, "rifamycins"),
        M("PZA-400", "Pyrazinamide", "J04AK01", "tablet", 400, "mg", "tablet", 400, 2000),
        M("EMB-400", "Ethambutol", "J04AK02", "tablet", 400, "mg", "tablet", 400, 1600),
        M("RHZE-FDC", "Rifampicin + isoniazid + pyrazinamide + ethambutol", "J04AM06", "tablet", 1, "tablet", "tablet", 2, 5, "rifamycins",
            strength: "150 mg + 75 mg + 400 mg + 275 mg"),
        M("PARA-500", "Paracetamol", "N02BE01", "tablet", 500, "mg", "tablet", 500, 1000),
        M("PARA-120S", "Paracetamol oral solution", "N02BE01", "oral solution", 24, "mg", "mL", 60, 500, strength: "120 mg/5 mL"),
        M("IBU-400", "Ibuprofen", "M01AE01", "tablet", 400, "mg", "tablet", 200, 800, "nsaids"),
        M("DICLO-50", "Diclofenac", "M01AB05", "tablet", 50, "mg", "tablet", 25, 75, "nsaids"),
        M("ASA-75", "Acetylsalicylic acid", "B01AC06", "tablet", 75, "mg", "tablet", 75, 300, "nsaids"),
        M("MORPH-10", "Morphine", "N02AA01", "tablet", 10, "mg", "tablet", 5, 30, "opioids"),
        M("METF-500", "Metformin", "A10BA02", "tablet", 500, "mg", "tablet", 500, 1000),
        M("GLIB-5", "Glibenclamide", "A10BB01", "tablet", 5, "mg", "tablet", 2.5m, 10),
        M("AMLO-5", "Amlodipine", "C08CA01", "tablet", 5, "mg", "tablet", 2.5m, 10),
        M("ENAL-5", "Enalapril", "C09AA02", "tablet", 5, "mg", "tablet", 2.5m, 20, "ace-inhibitors"),
        M("HCTZ-25", "Hydrochlorothiazide", "C03AA03", "tablet", 25, "mg", "tablet", 12.5m, 50),
        M("FUROS-40", "Furosemide", "C03CA01", "tablet", 40, "mg", "tablet", 20, 80),
        M("BISO-5", "Bisoprolol", "C07AB07", "tablet", 5, "mg", "tablet", 1.25m, 10),
        M("SIMVA-20", "Simvastatin", "C10AA01", "tablet", 20, "mg", "tablet", 10, 40),
        M("OMEP-20", "Omeprazole", "A02BC01", "capsule", 20, "mg", "capsule", 20, 40),
        M("PRED-5", "Prednisolone", "H02AB06", "tablet", 5, "mg", "tablet", 5, 60),
        M("FLUCO-150", "Fluconazole", "J02AC01", "capsule", 150, "mg", "capsule", 50, 400, "azoles"),
        M("ALBEN-400", "Albendazole", "P02CA03", "tablet", 400, "mg", "tablet", 400, 400),
        M("ORS-SACHET", "Oral rehydration salts", "A07CA", "powder for oral solution", 1, "sachet", "sachet", 1, 1, strength: "1 sachet (1 L)"),
        M("ZINC-20", "Zinc sulfate", "A12CB01", "dispersible tablet", 20, "mg", "tablet", 10, 20),
        M("FERR-200", "Ferrous sulfate", "B03AA07", "tablet", 200, "mg", "tablet", 200, 600),
    ];
}
