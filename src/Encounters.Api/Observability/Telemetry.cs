using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Encounters.Observability;

/// <summary>Traces and metrics from ASP.NET Core, HttpClient, Npgsql, Wolverine and Marten; JSON logs.</summary>
public static class Telemetry
{
    public const string ServiceName = "encounters";

    /// <summary>The service's own business metrics (break-glass grants, …).</summary>
    public const string MeterName = "Encounters";

    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName));
        // Spans only when they go somewhere: without an exporter every request, message and SQL statement still built and
        // tagged an activity that nobody read (make bench, issue 18). Events then carry the request's trace identifier.
        if (otlp)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("Wolverine", "Marten")
                .AddOtlpExporter());
        telemetry
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("Wolverine", "Marten", "Npgsql", MeterName);
                if (otlp) metrics.AddOtlpExporter();
            });
    }
}
