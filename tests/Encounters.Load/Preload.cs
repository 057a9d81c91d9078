using System.Diagnostics;
using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using Encounters.Scope;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Encounters.Load;

/// <summary>
/// Fills the database with finished visits, spread over many past days and every bench clinic, straight through the
/// event store (the service's own Marten configuration, not HTTP): many streams per transaction, so the inline read
/// models (orders, encounter queue, lab reports) are written as a command would write them. The async projections
/// (timeline, tasks, audit) are left to the running service's daemon, as history reaches them in production.
/// Marten's COPY bulk insert is not used: it skips inline projections, and those read models are what the hot queries read.
/// </summary>
public static class Preload
{
    private const int VisitsPerTransaction = 100;

    public static async Task<double> RunAsync(IReadOnlyList<Clinic> clinics, int visits, int days)
    {
        var builder = WebApplication.CreateBuilder(); // the service's settings, from the environment bench.sh exports
        builder.AddPersistence();
        await using var app = builder.Build();
        var store = app.Services.GetRequiredService<IDocumentStore>();

        var started = Stopwatch.GetTimestamp();
        var today = DateTimeOffset.UtcNow.Date;
        var (written, run) = (0, $"{DateTime.UtcNow:HHmmss}"); // MRNs are unique per tenant: a second preload gets new ones
        var batches = Enumerable.Range(0, (visits + VisitsPerTransaction - 1) / VisitsPerTransaction);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (batch, ct) =>
        {
            var clinic = clinics[batch % clinics.Count];
            await using var session = store.LightweightSession(clinic.Tenant);
            session.SetHeader(EventHeaders.UserId, $"preload-{clinic.Facility}");
            session.SetHeader(EventHeaders.UserName, "Preload");
            session.SetHeader(EventHeaders.Role, "clinician");
            session.SetHeader(EventHeaders.Tenant, clinic.Tenant);
            session.SetHeader(EventHeaders.Facility, clinic.Facility);
            var random = new Random(batch);
            var count = Math.Min(VisitsPerTransaction, visits - batch * VisitsPerTransaction);
            var closes = new List<EncounterClosed>(count);
            for (var i = 0; i < count; i++)
            {
                var day = new DateTimeOffset(today.AddDays(-1 - random.Next(days)), TimeSpan.Zero).AddHours(7 + random.NextDouble() * 10);
                closes.Add(Visit(session, clinic.Facility, $"P{run}-{batch}-{i}", day, random));
            }
            await session.SaveChangesAsync(ct);
            // Marten sequences a session's events stream by stream, so a close appended with its visit would come before the
            // visit's results in the log, and the task projection would keep their reviews open as results to follow.
            foreach (var close in closes) session.Events.Append(close.EncounterId, close);
            await session.SaveChangesAsync(ct);
            var done = Interlocked.Add(ref written, count);
            if (done % 2_000 < count) Console.Error.WriteLine($"bench: preloaded {done} visits");
        });
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// One finished visit, as the HTTP flow writes it: a patient, the encounter from planning to the consult, a two-test lab
    /// order whose sample was collected and received, and its results released. Returns the close, written after.
    /// </summary>
    private static EncounterClosed Visit(IDocumentSession session, string facility, string mrn, DateTimeOffset at, Random random)
    {
        var (patient, encounter, order, sample) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        DateTimeOffset After(int minutes) => at.AddMinutes(minutes + random.Next(5));
        session.Events.StartStream(patient, new PatientRegistered(patient, facility, mrn, $"Preloaded Patient {mrn}",
            new DateOnly(1940 + random.Next(80), 1 + random.Next(12), 1 + random.Next(28)), AdministrativeSex.Female, null));
        session.Events.StartStream(encounter,
            new EncounterPlanned(encounter, patient, facility, "Follow-up", null, at),
            new PatientCheckedIn(encounter, After(5)),
            new VitalSignsRecorded(encounter, new VitalSigns(Pulse: 60 + random.Next(40)), null, [], After(10)),
            new ConsultStarted(encounter, $"doc-{facility}", "Preload Doctor", After(20)));

        var items = new[] { ("GLU", "2345-7", "Glucose"), ("CRP", "1988-5", "C-reactive protein") }
            .Select(t => new OrderedItem(Guid.NewGuid(), t.Item1, t.Item2, t.Item3, "serum", "SST", 1)).ToArray();
        var ids = items.Select(i => i.ItemId).ToArray();
        var (accession, collectedAt, receivedAt) = ($"A{order:N}"[..12], After(35), After(60));
        session.Events.StartStream(order,
            new LabOrderPlaced(order, encounter, patient, facility, OrderPriority.Routine, items, null, $"doc-{facility}", "Preload Doctor", After(25)),
            new LabOrderItemsCollected(order, encounter, sample, ids, accession, collectedAt),
            new LabOrderItemsReceived(order, encounter, sample, ids, receivedAt));
        session.Events.StartStream(sample,
            new SpecimenCollected(sample, order, encounter, patient, facility, ids, "serum", "SST", accession, accession, collectedAt),
            new SpecimenReceived(sample, order, encounter, receivedAt));
        foreach (var item in items)
        {
            var value = 80m + random.Next(40);
            session.Events.StartStream(item.ItemId,
                new ResultEntered(item.ItemId, order, encounter, patient, facility, sample, item.ServiceCode, item.Name, 1,
                    [new AnalyteResult(item.ServiceCode, item.Name, value, "mg/dL", 70m, 140m, 40m, 500m, "N")], false, 1, null,
                    $"tec-{facility}", $"doc-{facility}", OrderPriority.Routine, After(90)),
                new ResultVerified(item.ItemId, order, encounter, 1, $"sup-{facility}", After(100)),
                new ResultReleased(item.ItemId, order, encounter, 1, false, false, $"doc-{facility}", After(105)));
        }
        return new EncounterClosed(encounter, Disposition.Discharged, $"doc-{facility}", After(120));
    }
}
