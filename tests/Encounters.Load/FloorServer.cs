using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Encounters.Load;

/// <summary>
/// The reference floor (issue 18): plain ASP.NET Core minimal API + Npgsql, in its own process and schema (`floor`), doing
/// a command's durable writes in ONE transaction — one statement, one round trip: stream version check and bump (row lock),
/// event insert (jsonb data and headers), one view upsert, idempotency record with the stored response. A replayed
/// Idempotency-Key fails the whole statement on the key and answers the stored response. No auth, audit or projections:
/// it is what the durable work alone costs, against which make bench reports the service as a multiple.
/// </summary>
public static class FloorServer
{
    private const string Schema = """
        create schema if not exists floor;
        create table if not exists floor.streams (id uuid primary key, tenant text not null, version int not null);
        create table if not exists floor.events (seq bigserial primary key, stream_id uuid not null, version int not null, tenant text not null,
            type text not null, data jsonb not null, headers jsonb not null, at timestamptz not null default now(), unique (stream_id, version));
        create table if not exists floor.views (id uuid primary key, tenant text not null, version int not null, data jsonb not null);
        create table if not exists floor.idempotency (tenant text, key text, response text not null, at timestamptz not null default now(),
            primary key (tenant, key));
        """;

    private const string Append = """
        with s as (insert into floor.streams as st (id, tenant, version) values ($1, $2, 1)
                   on conflict (id) do update set version = st.version + 1 where st.tenant = excluded.tenant returning version),
             e as (insert into floor.events (stream_id, version, tenant, type, data, headers) select $1, version, $2, $3, $4, $5 from s returning version),
             v as (insert into floor.views as vw (id, tenant, version, data) select $1, $2, version, $4 from e
                   on conflict (id) do update set version = excluded.version, data = vw.data || excluded.data returning version),
             i as (insert into floor.idempotency (tenant, key, response)
                   select $2, $6, json_build_object('id', $1, 'version', version)::text from e returning response)
        select response from i
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Options.Arg(args, "url", "http://127.0.0.1:5091"));
        // The service's own pool settings (src/Encounters.Api/Persistence.cs), so the floor is not cheaper by configuration.
        await using var db = NpgsqlDataSource.Create(Options.Arg(args, "db", "") +
            ";No Reset On Close=true;Max Auto Prepare=200;Maximum Pool Size=32;Connection Idle Lifetime=60");
        await using (var create = db.CreateCommand(Schema)) await create.ExecuteNonQueryAsync();

        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/floor/streams/{id:guid}/{kind}", (Guid id, string kind, HttpRequest request) => Write(db, id, kind, request));
        app.MapGet("/floor/views/{id:guid}", async (Guid id, HttpRequest request) =>
        {
            await using var read = db.CreateCommand("select data::text from floor.views where id = $1 and tenant = $2");
            read.Parameters.AddWithValue(id);
            read.Parameters.AddWithValue(request.Headers["X-Tenant-ID"].ToString());
            return await read.ExecuteScalarAsync() is string view ? Results.Content(view, "application/json") : Results.NotFound();
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task<IResult> Write(NpgsqlDataSource db, Guid id, string kind, HttpRequest request)
    {
        var (tenant, key) = (request.Headers["X-Tenant-ID"].ToString(), request.Headers["Idempotency-Key"].ToString());
        if (tenant.Length == 0 || key.Length == 0) return Results.BadRequest();
        string data;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            data = body.RootElement.GetRawText();
        }
        catch (JsonException) { return Results.BadRequest(); }

        await using var cmd = db.CreateCommand(Append);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(tenant);
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, data);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(new { tenant, correlationId = key, at = DateTimeOffset.UtcNow }));
        cmd.Parameters.AddWithValue(key);
        try
        {
            return await cmd.ExecuteScalarAsync() is string response ? Results.Content(response, "application/json", statusCode: 201) : Results.NotFound();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "idempotency_pkey")
        {
            await using var stored = db.CreateCommand("select response from floor.idempotency where tenant = $1 and key = $2");
            stored.Parameters.AddWithValue(tenant);
            stored.Parameters.AddWithValue(key);
            return Results.Content((string)(await stored.ExecuteScalarAsync())!, "application/json");
        }
    }
}
