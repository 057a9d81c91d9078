using Encounters.Patients;

namespace Encounters.Lab;

/// <summary>One analyte's value as entered: <c>value</c> (numeric), <c>valueCode</c> (coded, ordinal) or <c>text</c>.</summary>
public record AnalyteValue(string? Code, decimal? Value, string? Unit, string? ValueCode = null, string? Text = null);

/// <summary>What judging a result needs: the order item, its catalog entry and the patient (sex and age pick the range).</summary>
public sealed record ResultContext(LabOrderView? Order, OrderItemView? Item, LabTest? Test, Patient? Patient) : Scope.IFacilityScoped
{
    public string FacilityId => Order?.FacilityId ?? "";
    public long Version => 0; // never the target: the result stream, loaded first, is what If-Match names
    public static string Resource => "Order item";

    public static async Task<ResultContext> LoadAsync(Guid itemId, IQuerySession session, CancellationToken ct)
    {
        var order = await session.Query<LabOrderView>().Where(o => o.Items.Any(i => i.ItemId == itemId)).FirstOrDefaultAsync(ct);
        var item = order?.Item(itemId);
        if (order is null || item is null) return new(null, null, null, null);
        return new(order, item, await LabCatalog.FindAsync(session, item.ServiceCode, ct), await session.LoadAsync<Patient>(order.PatientId, ct));
    }

    public ProblemDetails Missing() =>
        Order is null || Item is null || Test is null || Patient is null
            ? Problems.NotFound("Order item")
            : WolverineContinue.NoProblems;

    /// <summary>Per-analyte errors: known to the test, once each, a value of the analyte's type (a code of its value set), and the catalog's UCUM unit.</summary>
    public Dictionary<string, string[]> Errors(AnalyteValue[]? analytes)
    {
        var errors = new Dictionary<string, string[]>();
        if (analytes is not { Length: > 0 })
        {
            errors["analytes"] = ["At least one analyte."];
            return errors;
        }

        for (var i = 0; i < analytes.Length; i++)
        {
            var value = analytes[i];
            var analyte = Test!.Analytes.FirstOrDefault(a => a.Code == value?.Code);
            if (analyte is null)
                errors[$"analytes[{i}].code"] = [$"Not an analyte of {Test.Id}: one of {string.Join(", ", Test.Analytes.Select(a => a.Code))}."];
            else if (analytes.Count(a => a?.Code == value!.Code) > 1)
                errors[$"analytes[{i}].code"] = ["Each analyte once."];
            if (analyte is not null) ValueErrors(errors, $"analytes[{i}]", analyte, value!);
        }

        return errors;
    }

    private static void ValueErrors(Dictionary<string, string[]> errors, string field, Analyte analyte, AnalyteValue value)
    {
        switch (analyte.Type)
        {
            case ResultValueType.Numeric:
                if (value.Value is null) errors[$"{field}.value"] = ["A numeric value."];
                if (value.Unit is { } unit && unit != analyte.Unit)
                    errors[$"{field}.unit"] = [$"{analyte.Name} is reported in {analyte.Unit}, not {unit}."];
                break;
            case ResultValueType.Text:
                Requests.Limits.Text(errors, $"{field}.text", value.Text, Requests.Limits.Note, required: true);
                break;
            default:
                if (analyte.ValueSet!.All(v => v.Code != value.ValueCode))
                    errors[$"{field}.valueCode"] = [$"{analyte.Name} is one of: {string.Join(", ", analyte.ValueSet!.Select(v => v.Code))}."];
                break;
        }
    }

    public AnalyteResult[] Judge(AnalyteValue[] analytes, DateOnly today)
    {
        var age = Interpretation.AgeInYears(Patient!.DateOfBirth, today);
        return analytes.Select(v => Interpretation.Judge(Test!.Analytes.Single(a => a.Code == v.Code), v, Patient.Sex, age)).ToArray();
    }
}
