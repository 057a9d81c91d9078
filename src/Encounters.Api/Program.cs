using System.Text.Json;
using System.Text.Json.Serialization;
using Encounters;
using Encounters.Observability;
using JasperFx;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddObservability();
builder.AddSecurity();
builder.AddProxyHeaders();
builder.AddPersistence();
// FHIR refusals leave as OperationOutcomes: this writer goes ahead of the default problem+json one.
builder.Services.AddSingleton<IProblemDetailsWriter, Encounters.Fhir.OperationOutcomeWriter>();
builder.Services.AddEncountersProblemDetails();
builder.Services.AddEncountersOpenApi(builder.Environment.IsDevelopment());
builder.Services.AddScoped<CurrentScope>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Encounters.Audit.ChartReadWriter>();
builder.Services.AddSingleton(Encounters.Encounters.ClinicSettings.From(builder.Configuration));
builder.Services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>().Configure<IHttpContextAccessor>((o, http) =>
    RoleShapedFields.Configure(o.SerializerOptions, http));
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    Encounters.Requests.StrictJson.Configure(o.SerializerOptions);
});
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = Encounters.Requests.Limits.MaxBodyBytes);
builder.Services.AddWolverineHttp();
builder.Services.AddHealth();
builder.Services.AddSingleton<IGaugeSource, Encounters.Tasks.OverdueAcknowledgementsGauge>();
builder.Services.AddHostedService<OperationalGauges>();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseMiddleware<CommandOutcomes>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseMiddleware<ScopeMiddleware>();
app.UseAuthorization();
app.UseMiddleware<Encounters.Requests.RequestGuard>();
app.UseMiddleware<LostRaceRetry>();
app.Use(Paging.ListOfRequest);

app.MapOpenApi();
app.MapScalarApiReference(Encounters.Observability.OpenApi.ConfigureScalar(app.Environment));
app.MapHealth();
if (app.Environment.IsDevelopment()) app.MapDevToken();

app.MapWolverineEndpoints(opts =>
{
    opts.TenantId.IsRequestHeaderValue(ScopeHeaders.Tenant);
    // ?pageSize=abc is a 400, not a silent default.
    opts.RejectUnparseableQueryValues = true;
    // The idempotency claim is written inside the command's own Marten transaction, so a crash
    // before commit leaves no claim and a racing duplicate is answered from the winner's claim.
    opts.DefaultClaimInTransaction = true;
    // Before any stream loads or Validate runs: a null body or an empty id is a 400 (Requests/RequestBodyGuard.cs).
    opts.AddMiddlewareByMessageType(typeof(Encounters.Requests.RequestBodyGuard));
    opts.AddPolicy<IdempotencyPolicy>();
    opts.AddPolicy<ETagPolicy>();
    opts.AddPolicy<FacilityGuardPolicy>();
    opts.AddPolicy<Encounters.Audit.ReadAuditPolicy>();
    opts.AddMiddleware(typeof(EventMetadataMiddleware), chain => chain.IsWrite());
});

return await app.RunJasperFxCommands(args);

public partial class Program;
