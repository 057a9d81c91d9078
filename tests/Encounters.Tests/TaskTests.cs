using Encounters.Encounters;
using Encounters.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;

namespace Encounters.Tests;

/// <summary>Tasks appear and close with the events of the work they are about.</summary>
[Collection(ApiCollection.Name)]
public class TaskTests(AppFixture app) : ClinicTest(app)
{

    private Caller OtherSupervisor => As("lab_supervisor", "sup-sue");

    /// <summary>The open tasks of a kind, the expected number of them, once the (asynchronous) task list has caught up.</summary>
    private async Task<List<TaskView>> Open(string kind, int expected, Caller? who = null, string query = "")
    {
        await CaughtUp();
        var tasks = (await (who ?? Supervisor).Get($"/api/tasks?pageSize=200{query}", 200)).As<Page<TaskView>>().Items;
        var matching = tasks.Where(t => t.Task.Kind == kind).ToList();
        matching.Count.ShouldBe(expected, $"open {kind} tasks");
        return matching;
    }

    [Fact]
    public async Task each_lab_task_appears_with_its_event_and_closes_with_the_next()
    {
        var encounter = await InConsult();
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "stat", items = new[] { new { serviceCode = "K" } } }, 201);
        var item = ItemIds(order).Single();

        var collect = (await Open("collect-sample", 1))[0].Task;
        collect.Role.ShouldBe("nurse");
        collect.Priority.ShouldBe("stat");

        var sample = await Collect(order.Id, item);
        await Open("collect-sample", 0);
        (await Open("receive-sample", 1))[0].Task.Role.ShouldBe("lab_technician");

        await Receive(sample);
        await Open("receive-sample", 0);
        await Open("enter-result", 1);

        await Supervisor.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "2823-3", value = 7.1m } } }, 201);
        await Open("enter-result", 0);
        var verify = (await Open("verify-result", 1))[0].Task;
        verify.ExcludedUserId.ShouldBe("sup-sam");

        // The person who entered the result cannot take its verification; a colleague can.
        var taskId = verify.Id;
        (await Supervisor.Post($"/api/tasks/{taskId}/claim", null, 403)).Problem.Code.ShouldBe("task.not_yours");
        await OtherSupervisor.Post($"/api/tasks/{taskId}/claim", null, 200);
        await As("lab_supervisor", "sup-3").Post($"/api/tasks/{taskId}/claim", null, 409);
        await OtherSupervisor.Post($"/api/tasks/{taskId}/complete", new { note = "done" }, 409);

        await OtherSupervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Open("verify-result", 0);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);

        var review = (await Open("review-result", 1, Doctor))[0].Task;
        review.AssigneeUserId.ShouldBe("dr-kofi");
        var acknowledge = (await Open("acknowledge-critical-result", 1, Doctor))[0];
        acknowledge.Task.Priority.ShouldBe("urgent");
        acknowledge.Overdue.ShouldBeFalse();
        acknowledge.Task.DueAt!.Value
            .ShouldBe(DateTimeOffset.UtcNow.AddMinutes(30), TimeSpan.FromMinutes(1));

        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Repeat K, ECG ordered" }, 200);
        await Open("acknowledge-critical-result", 0, Doctor);
        await Open("review-result", 0, Doctor);
        // collect, receive, enter, verify, acknowledge, review
        (await Doctor.Get("/api/tasks?status=completed&pageSize=200", 200)).As<Page<TaskView>>().Total.ShouldBe(6);
    }

    [Fact]
    public async Task a_review_task_is_completed_by_hand_and_a_rejected_sample_asks_for_recollection()
    {
        var encounter = await InConsult();
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "NA" } } }, 201);
        var item = ItemIds(order).Single();
        var sample = await Collect(order.Id, item);
        await Tech.Post($"/api/lab/samples/{sample.Id}/reject", new { reason = "clotted" }, 200);

        await Open("receive-sample", 0);
        var recollect = (await Open("recollect-sample", 1, Nurse))[0].Task;
        recollect.Title.ShouldContain("clotted");

        var again = await Collect(order.Id, item);
        await Open("recollect-sample", 0, Nurse);
        await Receive(again);
        await EnterResult(item, "2951-2", 139m);
        await VerifyAndRelease(item);

        var review = (await Open("review-result", 1, Doctor))[0].Task.Id.ToString();
        await Nurse.Post($"/api/tasks/{review}/complete", new { note = "seen" }, 403);
        await Doctor.Post($"/api/tasks/{review}/complete", new { note = "Normal, no action." }, 200);
        await Open("review-result", 0, Doctor);
        await Doctor.Post($"/api/tasks/{review}/complete", new { note = "again" }, 409);
    }

    [Fact]
    public async Task an_overlong_consult_gets_a_documentation_task_and_overdue_critical_acknowledgements_are_flagged()
    {
        var encounter = await InConsult();

        // The durable check scheduled at start-consult fires when the limit runs out; fire it now.
        using var services = app.Host.Services.CreateScope();
        await services.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(Tenant, new CheckDocumentationTime(encounter, "dr-kofi", "clinic-1", 60));
        var task = (await Open("complete-documentation", 1, Doctor))[0].Task;
        task.AssigneeUserId.ShouldBe("dr-kofi");

        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Well." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
        await Open("complete-documentation", 0, Doctor);

    }

    [Fact]
    public async Task a_critical_acknowledgement_not_done_in_30_minutes_is_flagged_overdue()
    {
        var encounter = await InConsult();
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "stat", items = new[] { new { serviceCode = "K" } } }, 201);
        var item = ItemIds(order).Single();
        await ReleasedResult(order.Id, item, "2823-3", 2.1m);
        await Open("acknowledge-critical-result", 1, Doctor);
        (await Doctor.Get("/api/tasks?overdue=true", 200)).As<Page<TaskView>>().Total.ShouldBe(0);

        try
        {
            AppFixture.Clock.Offset = TimeSpan.FromMinutes(31);
            var overdue = (await Doctor.Get("/api/tasks?overdue=true", 200)).As<Page<TaskView>>().Items.Single();
            overdue.Overdue.ShouldBeTrue();
            overdue.Task.Kind.ShouldBe("acknowledge-critical-result");
        }
        finally
        {
            AppFixture.Clock.Offset = TimeSpan.Zero;
        }
    }
}
