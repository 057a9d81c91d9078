using System.Diagnostics.Metrics;

namespace Encounters.Observability;

/// <summary>
/// The service's own metrics (meter <see cref="Telemetry.MeterName"/>), exported with the rest by OpenTelemetry.
/// Counters and the histogram are recorded where the fact happens; the gauges show the latest sample that
/// <see cref="OperationalGauges"/> takes of the whole store on every node (alert on the max over nodes, not the sum).
/// </summary>
public static class BusinessMetrics
{
    private static readonly Meter Meter = new(Telemetry.MeterName);

    /// <summary>Ordered → released per report, by test and priority: the lab's turnaround time (TAT).</summary>
    public static readonly Histogram<double> LabTurnaround = Meter.CreateHistogram<double>(
        "encounters.lab.turnaround", "min", "Time from order to the first release of a test's report, by test and priority.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [15, 30, 60, 120, 240, 480, 1440, 2880] });

    public static readonly Counter<long> ReadAudits = Meter.CreateCounter<long>(
        "encounters.audit.reads", "{read}", "Chart reads recorded in the audit trail, by resource and purpose.");

    public static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "encounters.commands", "{command}", "Commands (POST/PUT under /api) by command and outcome.");

    // Each list is replaced whole by its sampler, so a gauge reads one consistent sample.
    public static IReadOnlyList<OverdueAcknowledgements> OverdueCriticalAcknowledgements { get; set; } = [];
    public static IReadOnlyList<ProjectionLag> ProjectionLag { get; set; } = [];

    private static long _deadLetters = -1;

    /// <summary>-1 until sampled.</summary>
    public static long DeadLetters { get => Interlocked.Read(ref _deadLetters); set => Interlocked.Exchange(ref _deadLetters, value); }

    static BusinessMetrics()
    {
        Meter.CreateObservableGauge("encounters.lab.critical_acknowledgements.overdue", () => OverdueCriticalAcknowledgements
                .Select(o => new Measurement<long>(o.Count, new("tenant", o.Tenant), new("facility", o.Facility))),
            "{result}", "Released critical results not acknowledged by the ordering clinician in time, by tenant and facility.");
        Meter.CreateObservableGauge("encounters.projection.lag", () => ProjectionLag
                .Select(p => new Measurement<long>(p.Lag, new KeyValuePair<string, object?>("projection", p.Name))),
            "{event}", "Events stored but not yet processed by each asynchronous projection (timeline, tasks, audit trail).");
        Meter.CreateObservableGauge("encounters.messages.dead_letters", () => DeadLetters is >= 0 and var count ? [new Measurement<long>(count)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages that failed every retry and wait in the dead-letter table for an operator.");
    }

    /// <summary>What a command's status code means to an operator.</summary>
    public static string Outcome(int status) => status switch
    {
        < 400 => "succeeded",
        401 or 403 => "denied",
        404 => "not_found",
        409 or 412 or 428 => "refused",
        < 500 => "invalid",
        503 => "unavailable",
        _ => "failed",
    };
}

public record OverdueAcknowledgements(string Tenant, string Facility, long Count);

public record ProjectionLag(string Name, long Lag);
