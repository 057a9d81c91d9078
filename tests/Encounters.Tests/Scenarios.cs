using Encounters.Encounters;
using Encounters.Lab;

namespace Encounters.Tests;

/// <summary>
/// Walks many tests take on the way to what they are about, written once: a test about billing or tasks needs a
/// released result, not another copy of the lab's five steps. Each step asserts its own status, as the copies did.
/// </summary>
public abstract partial class ClinicTest
{
    /// <summary>The patient of an encounter, as the doctor reads it.</summary>
    protected async Task<Guid> PatientOf(Guid encounter) => (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().PatientId;

    /// <summary>The technician receives a collected sample, scanning its barcode.</summary>
    protected Task<Response> Receive(Response sample) =>
        Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample.As<SampleResponse>().Barcode, receivedAt = Now }, 200);

    /// <summary>The items collected in one sample by the nurse and received at the lab.</summary>
    protected async Task<Response> Received(Guid order, params Guid[] items)
    {
        var sample = await Collect(order, items);
        await Receive(sample);
        return sample;
    }

    /// <summary>The technician enters one numeric value for an item (the result's first or next version).</summary>
    protected Task<Response> EnterResult(Guid item, string code, decimal value) => EnterResult(item, new { code, value });

    /// <summary>The technician enters a result of any analytes (units, coded answers, text).</summary>
    protected Task<Response> EnterResult(Guid item, params object[] analytes) =>
        Tech.Post("/api/lab/results", new { orderItemId = item, analytes }, 201);

    /// <summary>Four eyes: the supervisor verifies the version they opened, then the technician releases it.</summary>
    protected async Task<Response> VerifyAndRelease(Guid item)
    {
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        return await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
    }

    /// <summary>An ordered item walked to a released result: collected, received, one value entered, verified, released.</summary>
    protected async Task<Response> ReleasedResult(Guid order, Guid item, string code, decimal value)
    {
        await Received(order, item);
        await EnterResult(item, code, value);
        return await VerifyAndRelease(item);
    }
}
