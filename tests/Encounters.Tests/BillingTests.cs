using Encounters.Billing;
using Encounters.Timeline;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Issue 15, charges and invoices: captured from the care given, issued, paid, corrected, totalled per day.</summary>
[Collection(ApiCollection.Name)]
public class BillingTests(AppFixture app) : ClinicTest(app)
{
    private Caller Billing => As("billing_officer", "bo-bea");
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

    private async Task Prices()
    {
        await Admin.Post("/api/billing/prices", new { category = "consultation", code = "outpatient", description = "Outpatient consultation",
            amount = 25.00m, currency = "GHS", validFrom = Today }, 200);
        await Admin.Post("/api/billing/prices", new { category = "lab", code = "GLU", description = "Glucose", amount = 12.50m, currency = "GHS",
            validFrom = Today }, 200);
    }

    /// <summary>The invoice with the charges the visit's (settled) facts caused: they arrive as durable messages.</summary>
    private async Task<InvoiceBody> InvoiceWith(Guid encounter, int charges, Caller? reader = null)
    {
        var invoice = (await (reader ?? Billing).Get($"/api/encounters/{encounter}/invoice", 200)).As<InvoiceBody>();
        invoice.Charges.Count.ShouldBeGreaterThanOrEqualTo(charges);
        return invoice;
    }

    private async Task ReleasedGlucose(Guid encounter)
    {
        var (order, items) = await LabOrder(encounter, "GLU");
        await ReleasedResult(order, items[0], "2345-7", 90m);
    }

    [Fact]
    public async Task a_consult_and_a_released_lab_test_are_charged_automatically_with_their_source_and_price()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        await Settled(() => ReleasedGlucose(encounter));

        var invoice = await InvoiceWith(encounter, 2);
        invoice.Status.ShouldBe("draft");
        invoice.Currency.ShouldBe("GHS");
        var consult = invoice.Charges.Single(c => c.Category == ChargeCategory.Consultation);
        consult.SourceEvent.ShouldBe("consult.started");
        consult.UnitPrice.ShouldBe(25.00m);
        var lab = invoice.Charges.Single(c => c.Category == ChargeCategory.Lab);
        (lab.Code, lab.Quantity, lab.Total).ShouldBe(("GLU", 1m, 12.50m));
        lab.SourceEvent.ShouldBe("lab.released");
        invoice.Total.ShouldBe(37.50m);
        invoice.Balance.ShouldBe(37.50m);

        // A later price change never rewrites what was charged.
        await Admin.Post("/api/billing/prices", new { category = "lab", code = "GLU", amount = 99m, currency = "GHS", validFrom = Today }, 200);
        (await Billing.Get($"/api/encounters/{encounter}/invoice", 200)).As<InvoiceBody>().Total.ShouldBe(37.50m);

        var timeline = (await Doctor.Get($"/api/encounters/{encounter}/timeline?pageSize=100", 200)).As<Page<TimelineEntry>>().Items;
        timeline.Count(e => e.Kind == "charge.captured").ShouldBe(2);
    }

    [Fact]
    public async Task withdrawn_work_voids_its_charge_with_the_reason()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        await InvoiceWith(encounter, 1);
        await Settled(() => Admin.Post($"/api/encounters/{encounter}/entered-in-error", new { reason = "Wrong patient" }, 200));

        var invoice = (await Billing.Get($"/api/encounters/{encounter}/invoice", 200)).As<InvoiceBody>();
        invoice.Charges[0].Voided.ShouldBeTrue();
        invoice.Charges[0].VoidReason!.ShouldContain("Wrong patient");
        invoice.Total.ShouldBe(0m);
        (await Billing.Post($"/api/encounters/{encounter}/invoice/issue", null, 409)).Problem.Code.ShouldBe("invoice.empty");
    }

    [Fact]
    public async Task an_issued_invoice_is_paid_in_parts_retries_pay_once_and_a_credit_note_corrects_it()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        await Settled(() => ReleasedGlucose(encounter));
        await InvoiceWith(encounter, 2);
        var url = $"/api/encounters/{encounter}/invoice";

        await Billing.Post($"{url}/payments", new { amount = 10m, method = "cash" }, 409); // a draft takes no payments
        var issued = await Billing.Post($"{url}/issue", null, 200);
        issued.As<InvoiceBody>().Status.ShouldBe("issued");
        issued.As<InvoiceBody>().Number!.ShouldStartWith($"INV-CLINIC-1-{DateTime.UtcNow.Year}-");
        await Billing.Post($"{url}/issue", null, 409);

        var first = await Billing.Post($"{url}/payments", new { amount = 20m, method = "mobile-money", reference = "MM-123" }, 200,
            ("Idempotency-Key", "pay-1"));
        first.As<InvoiceBody>().Status.ShouldBe("partially-paid");
        var retry = await Billing.Post($"{url}/payments", new { amount = 20m, method = "mobile-money", reference = "MM-123" }, 200,
            ("Idempotency-Key", "pay-1"));
        retry.As<InvoiceBody>().Payments.Count.ShouldBe(1);
        (await Billing.Post($"{url}/payments", new { amount = 20m, method = "mobile-money", reference = "MM-123" }, 409)).Problem.Code
            .ShouldBe("payment.duplicate_reference");
        (await Billing.Post($"{url}/payments", new { amount = 20m, method = "cash" }, 409)).Problem.Code.ShouldBe("payment.exceeds_balance");
        (await Billing.Post($"{url}/payments", new { amount = 0.1234567m, method = "cash" }, 400)).Problem.Errors!.ShouldContainKey("amount");

        var credit = await Billing.Post($"{url}/credit-notes", new { amount = 2.50m, reason = "Glucose repeated free of charge" }, 200);
        credit.As<InvoiceBody>().Total.ShouldBe(37.50m); // the issued invoice itself never changes
        credit.As<InvoiceBody>().Balance.ShouldBe(15m);
        credit.As<InvoiceBody>().CreditNotes[0].Number.ShouldStartWith("CN-CLINIC-1-");

        var paid = await Billing.Post($"{url}/payments", new { amount = 15m, method = "card", reference = "POS-9" }, 200);
        paid.As<InvoiceBody>().Status.ShouldBe("paid");
        paid.As<InvoiceBody>().Balance.ShouldBe(0m);
        paid.As<InvoiceBody>().Payments.Count.ShouldBe(2);
    }

    [Fact]
    public async Task an_invoice_nothing_was_paid_on_can_be_voided_and_then_takes_no_payment()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        await InvoiceWith(encounter, 1);
        var url = $"/api/encounters/{encounter}/invoice";
        await Billing.Post($"{url}/issue", null, 200);
        (await Billing.Post($"{url}/void", new { reason = "" }, 400)).Problem.Errors!.ShouldContainKey("reason");
        var voided = await Billing.Post($"{url}/void", new { reason = "Duplicate visit" }, 200);
        (voided.As<InvoiceBody>().Status, voided.As<InvoiceBody>().Balance).ShouldBe(("void", 0m));
        (await Billing.Post($"{url}/payments", new { amount = 5m, method = "cash" }, 409)).Problem.Code.ShouldBe("invoice.invalid_transition");
        await Billing.Post($"{url}/void", new { reason = "Again" }, 409);
    }

    [Fact]
    public async Task the_daily_totals_show_charges_by_category_and_payments_by_method_and_export_as_csv()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        await Settled(() => ReleasedGlucose(encounter));
        await InvoiceWith(encounter, 2);
        await Billing.Post($"/api/encounters/{encounter}/invoice/issue", null, 200);
        await Billing.Post($"/api/encounters/{encounter}/invoice/payments", new { amount = 30m, method = "cash" }, 200);

        var lines = (await Billing.Get($"/api/billing/daily?date={Today}", 200)).As<DailyTotals>().Items
            .ToDictionary(l => $"{l.Kind}:{l.Key}", l => l.Amount);
        lines["charge:consultation"].ShouldBe(25m);
        lines["charge:lab"].ShouldBe(12.5m);
        lines["payment:cash"].ShouldBe(30m);

        var csv = await Admin.Get($"/api/billing/daily/export?date={Today}", 200);
        csv.ContentType.ShouldStartWith("text/csv");
        csv.Result.ReadAsText().ShouldContain($"{Today},payment,cash,GHS,1,30.00");
    }

    [Fact]
    public async Task roles_are_enforced_and_another_facility_sees_nothing()
    {
        await Prices();
        var encounter = await Settled(() => InConsult());
        var invoice = await InvoiceWith(encounter, 1, Reception); // the front desk sees invoices
        invoice.Charges.ShouldNotBeNull();

        await Reception.Post($"/api/encounters/{encounter}/invoice/issue", null, 403);
        await Doctor.Post($"/api/encounters/{encounter}/invoice/issue", null, 403);
        await Billing.Post("/api/billing/prices", new { category = "lab", code = "CBC", amount = 5m, currency = "GHS", validFrom = Today }, 403);
        await Reception.Get($"/api/billing/daily?date={Today}", 403);
        await Billing.Get($"/api/encounters/{encounter}", 403); // no clinical content for billing
        await Reception.Get($"/api/encounters/{encounter}/results", 403);
        (await Admin.Post("/api/billing/prices", new { category = "lab", code = "CBC", amount = 5m, currency = "USD", validFrom = Today }, 409)).Problem.Code
            .ShouldBe("price.currency_mismatch");

        var elsewhere = As("billing_officer", "bo-2", "clinic-2");
        await elsewhere.Get($"/api/encounters/{encounter}/invoice", 404);
        await elsewhere.Post($"/api/encounters/{encounter}/invoice/issue", null, 404);
        await elsewhere.Post($"/api/encounters/{encounter}/invoice/payments", new { amount = 1m, method = "cash" }, 404);
    }
}
